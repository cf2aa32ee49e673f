import type { ReportSheet } from '../../../shared/centre/report';
import { loadExcelJs } from '../load-exceljs';

/** Writes the county report's sheets as one .xlsx (title block merged across, money as yuan 0.00). */
export async function writeReportXlsx(sheets: readonly ReportSheet[]): Promise<Buffer> {
  const ExcelJS = await loadExcelJs();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Harvest Studio';
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name.slice(0, 31));
    const width = sheet.header.length;
    ws.addRow([sheet.title]);
    ws.mergeCells(1, 1, 1, width);
    const title = ws.getCell(1, 1);
    title.font = { bold: true, size: 16 };
    title.alignment = { horizontal: 'center' };
    ws.addRow([sheet.subtitle]);
    ws.mergeCells(2, 1, 2, width);
    const header = ws.addRow([...sheet.header]);
    header.font = { bold: true };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFF3E8' } };
      cell.border = { bottom: { style: 'thin' } };
      cell.alignment = { horizontal: 'center', wrapText: true };
    });
    const addCells = (cells: ReportSheet['rows'][number], isTotal: boolean) => {
      const row = ws.addRow(cells.map((c) => (c.kind === 'fen' ? c.value / 100 : c.value)));
      cells.forEach((c, i) => {
        if (c.kind === 'fen') row.getCell(i + 1).numFmt = '#,##0.00';
        else if (c.kind === 'count') row.getCell(i + 1).numFmt = '#,##0';
      });
      if (isTotal) {
        row.font = { bold: true };
        row.eachCell((cell) => (cell.border = { top: { style: 'thin' } }));
      }
    };
    for (const cells of sheet.rows) addCells(cells, false);
    if (sheet.total.length > 0) addCells(sheet.total, true);
    ws.columns.forEach((column, i) => {
      column.width = i < width - 6 ? 18 : 14;
    });
    ws.views = [{ state: 'frozen', ySplit: 3 }];
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
