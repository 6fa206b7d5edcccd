"""Excel workbooks: partner returns out and back in, and the whole-plan workbook. No Qt."""
