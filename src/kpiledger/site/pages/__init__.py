"""The generated pages of the site, as Markdown text with raw HTML tables; nothing is written
to disk here. One module per page kind, around what they share:

- `site`: the entry point (`Site(data)`: `.pages()`, `.nav(...)`, `.home_section()`)
- `index`: the input (`SiteData`, `SiteOptions`), `Page`, and `SiteIndex`, the lookups
  every page reads (results by period and person, records, events, names, titles)
- `html`: escaping, page titles, relative links, tables; `cells`: links to other pages and
  result cells several page kinds share
- the page kinds: `home` (index.md's generated part), `period`, `unit`, `person` (with
  `derivation`, its derivation table), `scheme` (with `scheme_text`, a scheme in words),
  `events` (rules & events), `audit`
"""
