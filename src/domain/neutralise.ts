// Text for a spreadsheet cell made safe: Excel, LibreOffice and WPS take a cell that starts with = + - @ (or a tab
// or CR) as a formula, so such text gets a leading apostrophe. Its own module: the streaming exports use it without
// loading a spreadsheet library.
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
