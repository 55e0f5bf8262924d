"""All file reading and writing of the application: `read` (tables, TOML), `series` (the data
contract), `write` (atomic outputs that never overwrite inputs), `xlsx` (formatted workbooks),
`manifest` (what produced an output)."""
