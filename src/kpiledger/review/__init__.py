"""`kpi review --base REF`: a pull request's check. `run` checks the change and `report`
renders it; `identity`, `permissions`, `scope`, `rescore` and `compare` are its steps, and
`findings` what they find."""
