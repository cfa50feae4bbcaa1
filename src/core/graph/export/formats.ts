/**
 * The export formats' names, apart from their renderers: a command lists them in its help without
 * loading DOT, Mermaid and GraphML code it will not run.
 */
export const EXPORT_FORMATS = ["json", "dot", "mermaid", "graphml"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(text: string): text is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(text);
}
