/** A file the API returned as text (UTF8) or base64 (BASE64, e.g. XLSX), saved by the browser. */
export function saveExport(file: { filename: string; contentType: string; encoding: string; content: string }): void {
  const body = file.encoding === 'BASE64' ? Uint8Array.from(atob(file.content), (c) => c.charCodeAt(0)) : file.content;
  const url = URL.createObjectURL(new Blob([body], { type: file.contentType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
