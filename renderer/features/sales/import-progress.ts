import type { ImportPreview, ImportProgress } from '../../../shared/api/sales';

/**
 * How far the import the dialog runs has got, 0–100, or undefined while that is not known (the
 * file still uploading, no progress of this step yet): the bar then moves without a value.
 * Reading counts bytes of the file; writing counts staged lines, of those the preview found
 * (lines repeated in the file are staged once).
 */
export function importPercent(
  step: 'reading' | 'committing',
  progress: ImportProgress | null,
  preview: Pick<ImportPreview, 'previewId' | 'okRows' | 'repeatedRows'> | null,
): number | undefined {
  if (progress === null || progress.phase !== step) return undefined;
  if (step === 'reading') {
    return progress.totalBytes > 0
      ? Math.min(100, Math.round((100 * progress.bytesRead) / progress.totalBytes))
      : undefined;
  }
  if (preview === null || progress.previewId !== preview.previewId) return undefined;
  const lines = preview.okRows - preview.repeatedRows;
  return lines > 0 ? Math.min(100, Math.round((100 * progress.rows) / lines)) : undefined;
}
