// Starts GOV.UK Frontend's components (error summaries, skip link, service navigation).
import { initAll } from '/assets/govuk-frontend.min.js'

initAll()
