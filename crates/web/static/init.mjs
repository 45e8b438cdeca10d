// Starts GOV.UK Frontend's components (error summaries, skip link, service navigation), then
// labels every table's cells with their column headings so that, on a phone, each row can be
// shown as a list of "heading: value" lines instead of a table wider than the screen.
import { initAll } from '/assets/govuk-frontend.min.js'

initAll()

/**
 * Gives each body cell a `data-label` (its column's heading) and the table the roles of a table,
 * so that app.css can stack the cells on narrow screens while assistive technology still reads a
 * table (CSS `display: block` on table parts drops their table semantics in some browsers).
 */
function stackable (table) {
  const headings = []
  const headRow = table.tHead && table.tHead.rows[table.tHead.rows.length - 1]
  if (!headRow) return
  for (const cell of headRow.cells) {
    const text = cell.textContent.replace(/\s+/g, ' ').trim()
    for (let i = 0; i < (cell.colSpan || 1); i++) headings.push(text)
  }
  table.setAttribute('role', 'table')
  for (const group of table.querySelectorAll(':scope > thead, :scope > tbody, :scope > tfoot')) {
    group.setAttribute('role', 'rowgroup')
  }
  for (const cell of headRow.cells) cell.setAttribute('role', 'columnheader')
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      row.setAttribute('role', 'row')
      let column = 0
      for (const cell of row.cells) {
        const heading = headings[column]
        if (heading && !cell.hasAttribute('data-label')) cell.setAttribute('data-label', heading)
        cell.setAttribute('role', cell.tagName === 'TH' ? 'rowheader' : 'cell')
        column += cell.colSpan || 1
      }
    }
  }
  for (const row of table.tHead.rows) row.setAttribute('role', 'row')
  table.classList.add('app-table--stack')
}

for (const table of document.querySelectorAll('table.govuk-table')) stackable(table)
