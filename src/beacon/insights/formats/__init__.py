"""Export and reporting formats: CTDC and federal report definitions. Pure Python (no Django import).
The HTCDS field table they build on is `beacon.reference.htcds`; CSV goes out through `beacon.web.csvsafe`."""
