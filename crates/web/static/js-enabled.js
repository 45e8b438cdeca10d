// Marks the page as having JavaScript before it renders, as GOV.UK Frontend expects. Kept in a
// file (not inline) so the content security policy can forbid inline scripts.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
