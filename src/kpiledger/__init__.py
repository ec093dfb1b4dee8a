"""kpiledger: performance assessments (绩效考核) kept as schema-checked YAML in git."""

__version__ = "0.1.0"
