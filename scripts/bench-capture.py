#!/usr/bin/env python3
"""The raw SQL behind a page, for scripts/bench (see docs/performance.md).

    bench-capture.py LOG OFFSET DATABASE
        Reads PostgreSQL's statement log (log_statement = 'all') from byte OFFSET and prints the
        statements sent to DATABASE, one a line, with their parameters written in as literals.
    bench-capture.py --sqlite SCRIPT OLD_SESSION NEW_SESSION
        Prints a captured script in SQLite's dialect: arrays become IN lists, booleans 1 and 0,
        a writing transaction BEGIN IMMEDIATE (as keepsafe's are), and the session looked up is
        the SQLite server's rather than the PostgreSQL one's.
"""
import hashlib
import re
import sys

ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (.*?)(LOG|DETAIL|ERROR|STATEMENT|HINT|WARNING|NOTICE|CONTEXT):  (.*)$")
PARAMETER = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")
PLACEHOLDER = re.compile(r"\$(\d+)\b")
# Connection checks by the pool, not the page's own work.
NOT_THE_PAGE = {"SELECT 1"}


def entries(log, offset, database):
    """(pid, kind, message) for each log entry of `database` after `offset`."""
    with open(log, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    current = None
    for line in text.splitlines():
        match = ENTRY.match(line)
        if match:
            if current:
                yield current
            pid, prefix, kind, message = match.groups()
            current = (pid, kind, message) if prefix.endswith(f"@{database} ") else None
        elif current:
            # A statement on several lines: drop line comments, which would swallow the rest.
            current = (current[0], current[1], current[2] + " " + re.sub(r"--.*$", "", line).strip())
    if current:
        yield current


def capture(log, offset, database):
    statements = []  # [sql, pid, parameters]
    for pid, kind, message in entries(log, int(offset), database):
        if kind == "LOG":
            found = re.match(r"(?:statement|execute [^:]*): (.*)$", message)
            if found:
                statements.append([found.group(1).strip(), pid, {}])
        elif kind == "DETAIL" and message.startswith("parameters:") and statements:
            last = next((s for s in reversed(statements) if s[1] == pid), None)
            if last is not None:
                last[2] = {int(n): value for n, value in PARAMETER.findall(message)}
    for sql, _, parameters in statements:
        sql = PLACEHOLDER.sub(lambda m: parameters.get(int(m.group(1)), m.group(0)), sql)
        sql = " ".join(sql.split())
        if sql not in NOT_THE_PAGE:
            print(sql)


def array_items(literal):
    """A PostgreSQL array literal's items ('{a,"b c",NULL}') as SQL literals."""
    body = literal[1:-1]
    items, item, quoted, escaped, was_quoted = [], "", False, False, False
    for ch in body:
        if escaped:
            item += ch
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
            was_quoted = True
        elif ch == "," and not quoted:
            items.append((item, was_quoted))
            item, was_quoted = "", False
        else:
            item += ch
    if body:
        items.append((item, was_quoted))
    return ", ".join(
        "NULL" if (value == "NULL" and not q) else "'" + value.replace("'", "''") + "'"
        for value, q in items
    )


def in_list(match):
    literal = match.group(2).replace("''", "'")
    items = array_items(literal) or "NULL"
    return f" {'NOT IN' if match.group(1) == '!= ALL' else 'IN'} ({items})"


def to_sqlite(script, old_session, new_session):
    old_hash = hashlib.sha256(old_session.strip().encode()).hexdigest()
    new_hash = hashlib.sha256(new_session.strip().encode()).hexdigest()
    lines = [line for line in open(script).read().splitlines() if line.strip()]
    out = []
    for line in lines:
        line = line.replace(old_hash, new_hash)
        line = re.sub(r"\s*(= ANY|!= ALL)\('(\{(?:[^']|'')*\})'\)", in_list, line)
        line = re.sub(r"(?<!')'t'(?!')", "1", line)
        line = re.sub(r"(?<!')'f'(?!')", "0", line)
        line = re.sub(r"'(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\+00(?::00)?'", r"'\1'", line)
        out.append(line)
    # keepsafe's writing transactions take SQLite's write lock when they begin.
    begin = None
    for i, line in enumerate(out):
        word = line.split(" ", 1)[0].upper()
        if word == "BEGIN":
            begin = i
        elif word in ("COMMIT", "ROLLBACK"):
            begin = None
        elif word in ("INSERT", "UPDATE", "DELETE") and begin is not None:
            out[begin] = "BEGIN IMMEDIATE"
    print("\n".join(out))


if __name__ == "__main__":
    if sys.argv[1] == "--sqlite":
        to_sqlite(*sys.argv[2:5])
    else:
        capture(*sys.argv[1:4])
