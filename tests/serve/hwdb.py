"""hwdb: a raw connection to a test's database on either engine.

The service's tests write behind highwater's back (as an administrator
with the sqlite3 shell or psql would) and read what it stored.  On
SQLite that is Python's sqlite3 module on the file; when the suite runs
on PostgreSQL (HW_TEST_ENGINE=postgresql) the path holds the name of a
database in the test cluster (tests/pg/highwater) and the connection is
psycopg2's (Debian's python3-psycopg2).  Statements are written once,
with ? placeholders, and run on either.
"""
import os
import sqlite3
import subprocess
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
WRAPPER = os.path.join(HERE, "..", "pg", "highwater")
# The writers' lock of the PostgreSQL engine (src/lib/store-pg.c).
PG_WRITE_LOCK = "SELECT pg_advisory_xact_lock(6879044, 1)"


def on_postgresql():
    return os.environ.get("HW_TEST_ENGINE", "sqlite") == "postgresql"


def pg_database(path):
    """The name of the cluster database the path stands for."""
    env = dict(os.environ, HW_PG_RESOLVE="1", HW_PG_REAL=":")
    out = subprocess.run([WRAPPER, "--db", path, "version"], env=env,
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def uri(path):
    """What --db takes to reach the path's database without
    tests/pg/highwater in between (a signal then reaches highwater
    itself): the URI on PostgreSQL, else the path."""
    if not on_postgresql():
        return path
    return "postgresql://hw@/%s?host=%s" % (pg_database(path),
                                           os.environ["HW_PG_HOST"])


def tables(con):
    """The names of the database's tables, sorted."""
    if con.pg:
        sql = ("SELECT table_name FROM information_schema.tables "
               "WHERE table_schema = current_schema() ORDER BY 1")
    else:
        sql = ("SELECT name FROM sqlite_master WHERE type = 'table' "
               "ORDER BY name")
    return [r[0] for r in con.execute(sql)]


def columns(con, table):
    """The names of TABLE's columns, in their order."""
    if con.pg:
        return [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? "
            "ORDER BY ordinal_position", (table,))]
    return [r[1] for r in con.execute(
        "SELECT * FROM pragma_table_info(?)", (table,))]


def rows(con, table, cols):
    """Every row of TABLE (COLS), as tuples of Python values (bytes for
    a blob): in their stored order on SQLite, sorted on PostgreSQL
    (which keeps no order)."""
    sql = "SELECT %s FROM \"%s\"" % (", ".join('"%s"' % c for c in cols),
                                      table)
    if con.pg:
        sql += " ORDER BY " + ", ".join(str(i + 1) for i in range(len(cols)))
    for r in con.execute(sql):
        yield tuple(bytes(v) if isinstance(v, memoryview) else v for v in r)


class Connection:
    """One connection: execute(sql, params) gives a cursor (fetchone,
    fetchall, rowcount, iteration); commit, rollback, close.  With
    autocommit, every statement is its own transaction unless begun."""

    def __init__(self, path, autocommit=False, timeout=30, readonly=False):
        self.pg = on_postgresql()
        if self.pg:
            import psycopg2
            self.con = psycopg2.connect(host=os.environ["HW_PG_HOST"],
                                        user="hw",
                                        dbname=pg_database(path))
            self.con.autocommit = autocommit
            if readonly:
                self.con.set_session(readonly=True)
        else:
            if readonly:
                path = "file:%s?mode=ro" % urllib.parse.quote(path)
            self.con = sqlite3.connect(
                path, timeout=timeout, check_same_thread=False,
                isolation_level=None if autocommit else "", uri=readonly)
            self.con.execute("PRAGMA foreign_keys = ON")

    def execute(self, sql, params=()):
        if not self.pg:
            return self.con.execute(sql, params)
        cur = self.con.cursor()
        if params:
            cur.execute(sql.replace("%", "%%").replace("?", "%s"), params)
        else:
            cur.execute(sql)
        return cur

    def script(self, sql):
        """Several statements, committed."""
        if self.pg:
            self.con.cursor().execute(sql)
        else:
            self.con.executescript(sql)
        self.con.commit()

    def write_lock(self):
        """Begin a transaction that holds the database's write lock, as a
        long import from the command line does, and write something in
        it (let go by rollback: nothing stays)."""
        if self.pg:
            self.con.autocommit = False
            self.execute(PG_WRITE_LOCK)
        else:
            self.execute("BEGIN IMMEDIATE")
        self.execute("UPDATE generation SET n = n WHERE one = 1")

    def commit(self):
        self.con.commit()

    def rollback(self):
        self.con.rollback()

    def close(self):
        self.con.close()


def connect(path, autocommit=False, timeout=30, readonly=False):
    return Connection(path, autocommit, timeout, readonly)


def query(path, sql, params=()):
    """All rows of one query, on a read-only connection of its own."""
    con = connect(path, readonly=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()
