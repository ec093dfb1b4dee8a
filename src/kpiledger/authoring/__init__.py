"""Authoring: the commands that write records — `kpi new`, `kpi fmt`, `kpi import`, `kpi export`
and `kpi init`. Everything else in kpiledger only reads the ledger."""
