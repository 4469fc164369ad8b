"""SQL for the triggers that raise the catalogue version (migration programmes/0012).

Shared by the migrations of every app whose tables a public catalogue page reads, so each
watches its own tables the same way. Only SQL text is made here; nothing touches a model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def watch(table: str, *, when: dict[str, str] | None = None) -> tuple[str, str]:
    """SQL to watch `table` (and to stop). `when` limits the bump to some row changes,
    per event ("INSERT", "UPDATE", "DELETE"): a WHEN condition on NEW and OLD."""
    events = when or {"INSERT OR UPDATE OR DELETE": "true"}
    bumps = bump_triggers(table, events)
    forward = f"""{bumps}
CREATE TRIGGER {table}_catalogue_touch
    AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION programmes_catalogue_touch();
CREATE TRIGGER {table}_catalogue_truncated
    AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION programmes_catalogue_truncated();
"""
    backward = "".join(
        f"DROP TRIGGER {table}_catalogue_bump_{n} ON {table};\n" for n in range(len(events))
    ) + (
        f"DROP TRIGGER {table}_catalogue_touch ON {table};\n"
        f"DROP TRIGGER {table}_catalogue_truncated ON {table};\n"
    )
    return forward, backward


def on_postgres(sql: str) -> Callable[[Any, Any], None]:
    """A RunPython step that runs `sql` on PostgreSQL and does nothing elsewhere."""

    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def bump_triggers(
    table: str,
    events: dict[str, str],
    *,
    name: str = "catalogue_bump",
    function: str = "programmes_catalogue_bump",
) -> str:
    """The deferred row triggers `{table}_{name}_<n>` that call `function` when a row change
    of each event meets its WHEN condition (on NEW and OLD)."""
    return "".join(
        f"""
CREATE CONSTRAINT TRIGGER {table}_{name}_{n}
    AFTER {event} ON {table} DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN ({condition}) EXECUTE FUNCTION {function}();"""
        for n, (event, condition) in enumerate(events.items())
    )
