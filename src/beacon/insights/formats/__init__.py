"""Export and reporting formats: CTDC, HTCDS 2.0, federal report definitions and CSV output safe to
open in a spreadsheet. Pure Python (no Django import)."""
