# ruff: noqa: E501  (the template's lines are HTML)
"""The removal certificate as a page a person reads (Jinja2, every value escaped).

The page shows the certificate's content; it proves nothing by itself. The
JSON file is what ``consentry verify`` checks, and the page says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, StrictUndefined

_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

_TEMPLATE = _ENV.from_string(
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Removal certificate {{ c.removal }}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
code, td.h { font-family: ui-monospace, monospace; font-size: .85em; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
.warn { background: #fff5e0; border-left: 4px solid #e0a000; padding: .5rem 1rem; }
</style>
</head>
<body>
<h1>Removal certificate</h1>
<p>Removal <code>{{ c.removal }}</code> took work <code>{{ c.work.id }}</code>
({{ c.work.kind }}) out of dataset version <code>{{ c.old.dataset }}</code>, writing
<code>{{ c.new.dataset }}</code>: <strong>{{ c.removed.count }} item(s) removed</strong>.
Requested {{ c.requested_at }}, completed {{ c.completed_at }}.</p>

<h2>The work</h2>
<table>
<tr><th>SHA-256 of the file</th><td class="h">{{ c.work.sha256 or "none" }}</td></tr>
<tr><th>SHA-256 of its content ({{ c.work.norm or "no normalisation" }})</th>
<td class="h">{{ c.work.content_sha256 or "none" }}</td></tr>
{% for n in c.work.near %}
<tr><th>near-copy fingerprint {{ n.scheme }} ({{ n.bytes }} bytes)</th><td class="h">{{ n.sha256 }}</td></tr>
{% endfor %}
</table>

<h2>Dataset versions</h2>
<table>
<tr><th></th><th>id</th><th>root</th><th>hashes</th></tr>
<tr><th>before</th><td><code>{{ c.old.dataset }}</code></td><td class="h">{{ c.old.root }}</td><td>{{ c.old.size }}</td></tr>
<tr><th>after</th><td><code>{{ c.new.dataset }}</code></td><td class="h">{{ c.new.root }}</td><td>{{ c.new.size }}</td></tr>
</table>

<h2>Items removed</h2>
{% if c.removed["items"] %}
<table>
<tr><th>item</th><th>found by</th><th>score</th><th>SHA-256</th></tr>
{% for i in c.removed["items"] %}
<tr><td><code>{{ i.item_id }}</code></td><td>{{ i.match }}</td><td>{{ i.score }}</td><td class="h">{{ i.sha256 }}</td></tr>
{% endfor %}
</table>
{% else %}
<p>None: no included item of {{ c.old.dataset }} held the work, by its hashes or by matching.</p>
{% endif %}
<p>{{ c.proven_absent | length }} hash(es), the work's and the removed items', are proven
absent from the new version.</p>

<h2>Models flagged for retraining or unlearning</h2>
{% if c.models %}
<table>
<tr><th>model</th><th>version</th><th>trained on</th><th>why</th></tr>
{% for m in c.models %}
<tr><td>{{ m.name }}</td><td>{{ m.version }}</td><td><code>{{ m.dataset }}</code> ({{ m.used }})</td><td>{{ m.why }}</td></tr>
{% endfor %}
</table>
{% else %}
<p>None recorded.</p>
{% endif %}

<h2>What this certificate cannot prove</h2>
<div class="warn"><ul>
{% for s in c.cannot_prove %}<li>{{ s }}</li>
{% endfor %}
</ul></div>

<h2>The log</h2>
<p>Log <code>{{ log.origin }}</code>, key <code>{{ log.key }}</code>. Entries
{% for e in log.entries %}{{ e.role }} #{{ e.position }}{{ ", " if not loop.last }}{% endfor %},
each with a receipt under this signed checkpoint:</p>
<pre>{{ log.checkpoint }}</pre>

<h2>Check it yourself</h2>
<p>This page shows the certificate; it proves nothing by itself. Check the JSON file
offline with the log's published key and your own file:</p>
<pre>consentry verify removal-certificate.json --key KEY --work YOUR-FILE --hashes included-hashes.bin</pre>
</body>
</html>
"""
)


def render_html(cert: Mapping[str, Any]) -> str:
    """The certificate as an HTML page (escaped)."""
    return _TEMPLATE.render(c=cert["claims"], log=cert["log"])
