Attribute VB_Name = "Loupe"
' Loupe ribbon callbacks: one Sub per button on the Loupe tab.
' Made from addin/template/ribbon.py by `python -m addin.template`; edit that, not this.
' Each runs one macro of addin.macros.buttons through addin.macros.entry, which shows
' progress in the status bar and problems in Status cells and one message box.
Option Explicit

' Validate Styles
Sub LoupeValidateStyles(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('validate_styles')"
End Sub

' Verify Ledger
Sub LoupeVerifyLedger(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('verify_ledger')"
End Sub

' Clone Rows
Sub LoupeCloneRows(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('clone_rows')"
End Sub

' Convert Style
Sub LoupeConvertStyle(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('convert_style')"
End Sub

' Change Method
Sub LoupeChangeMethod(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('change_method')"
End Sub

' Reverse Entry
Sub LoupeReverseEntry(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('reverse')"
End Sub

' Import Stock
Sub LoupeImportStock(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('import_stock')"
End Sub

' Post Receipts
Sub LoupePostReceipts(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('post_receipts')"
End Sub

' Post Sales
Sub LoupePostSales(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('post_sales')"
End Sub

' Post Movements
Sub LoupePostMovements(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('post_movements')"
End Sub

' Post Counts
Sub LoupePostCounts(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('post_counts')"
End Sub

' Print Tags
Sub LoupePrintTags(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('print_tags')"
End Sub

' Count by Scan
Sub LoupeCountByScan(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('count_by_scan')"
End Sub

' Refresh Reports
Sub LoupeRefreshReports(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('refresh_reports')"
End Sub

' Close Period
Sub LoupeClosePeriod(control As IRibbonControl)
    RunPython "import addin.macros.entry as e; e.run('close_period')"
End Sub
