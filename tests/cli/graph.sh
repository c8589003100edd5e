#!/bin/bash
# graph.sh: "highwater graph", the dependency graph as Graphviz DOT: one
# node per asset coloured by effective overall level, one edge per
# dependency, --around/--depth, quoting of names, rendering with dot, and
# bad input.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

DOT=$(command -v dot 2>/dev/null || true)

# renders DESC: dot -Tsvg accepts stdout and writes a non-empty SVG
# (skipped when Graphviz is not installed; CI installs it).
renders() {
	local desc=$1
	if [ -z "$DOT" ]; then
		_hw_n=$((_hw_n + 1))
		printf 'ok %d - %s # SKIP dot (Graphviz) not installed\n' $_hw_n "${desc//#/\\#}"
		return
	fi
	if "$DOT" -Tsvg "$OUT_FILE" >"$TMP/graph.svg" 2>"$TMP/dot.err" &&
		[ -s "$TMP/graph.svg" ] && grep -q '</svg>' "$TMP/graph.svg"; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		diag_value "dot stderr" "$(cat "$TMP/dot.err")"
	fi
}

# Node ids and edges ("FROM -> TO") of the DOT on stdout, sorted.
dot_nodes() {
	sed -n 's/^  "\([^"]*\)" \[label=.*/\1/p' "$OUT_FILE" | sort
}
dot_edges() {
	sed -n 's/^  "\([^"]*\)" -> "\([^"]*\)" \[.*/\1 -> \2/p' "$OUT_FILE" | sort
}

hw_setup --quiet init

# --- an empty inventory ------------------------------------------------------------
HEAD='digraph highwater {
  rankdir=LR;
  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];
  edge [fontname="Helvetica", fontsize=8];'
hw graph
expect_out_eq "$HEAD
}" "graph of an empty inventory: an empty digraph"
renders "dot renders the empty graph"

# --- a small inventory (tests/data/cli-impact.json) ---------------------------------
hw_setup --quiet import "$HW_TESTDATA/cli-impact.json"
hw graph
expect_rc 0 "graph exits 0"
expect_eq "$(head -n 4 "$OUT_FILE")" "$HEAD" "graph: the digraph header"
expect_eq "$(tail -n 1 "$OUT_FILE")" "}" "graph: closed at the end"
# The order of the lines is not part of the contract: compare them sorted.
expect_eq "$(sed '1,4d;$d' "$OUT_FILE" | sort)" "$(sort <<'EOF'
  "svc" [label="Billing service\nsvc\nC:M I:M A:M", fillcolor="#ffd98a"];
  "app" [label="Billing app\napp\nC:M I:M A:M", fillcolor="#ffd98a"];
  "db" [label="Billing DB\ndb\nC:H I:M A:M", fillcolor="#f4a6a6"];
  "vm" [label="DB VM\nvm\nC:H I:M A:M", fillcolor="#f4a6a6"];
  "host" [label="ESX host\nhost\nC:L I:M A:M", fillcolor="#ffd98a"];
  "bk" [label="Backup NAS\nbk\nC:H I:M A:L", fillcolor="#f4a6a6"];
  "sw" [label="Switch\nsw\nC:? I:? A:M\nat least MODERATE", fillcolor="#ffd98a", style="rounded,filled,dashed"];
  "mon" [label="Monitoring\nmon\nC:L I:L A:M", fillcolor="#ffd98a"];
  "kiosk" [label="Kiosk\nkiosk\nC:L I:L A:L", fillcolor="#b7e1a1"];
  "wiki" [label="Wiki\nwiki\nC:L I:L A:L", fillcolor="#b7e1a1"];
  "spare" [label="Spare\nspare\nC:? I:? A:?", fillcolor="#e0e0e0", color="#888888"];
  "svc" -> "app" [label="uses", style=solid];
  "app" -> "db" [label="stores_data_in", style=dashed];
  "app" -> "vm" [label="runs_on", style=bold];
  "db" -> "vm" [label="runs_on", style=bold];
  "vm" -> "host" [label="runs_on ia", style=bold];
  "vm" -> "bk" [label="backs_up_to ci", style=dotted, color="#777777"];
  "host" -> "sw" [label="connects_to a", style=dotted];
  "sw" -> "mon" [label="other", style=solid, color="#999999"];
  "mon" -> "sw" [label="connects_to a", style=dotted];
  "kiosk" -> "app" [label="uses i", style=solid];
  "wiki" -> "vm" [label="runs_on", style=bold];
EOF
)" "graph: exact nodes (name, id, effective C/I/A, colour by overall) and edges (type, carries)"
renders "dot renders the small graph"

hw graph --around vm --depth 1
expect_eq "$(dot_nodes | tr '\n' ' ')" "app bk db host vm wiki " "graph --around vm --depth 1: vm and its neighbours either way"
expect_eq "$(dot_edges | tr '\n' ' ')" "app -> db app -> vm db -> vm vm -> bk vm -> host wiki -> vm " \
	"graph --around: the dependencies among those assets only"
expect_eq "$(grep -c 'penwidth=3' "$OUT_FILE"):$(grep 'penwidth=3' "$OUT_FILE")" \
	'1:  "vm" [label="DB VM\nvm\nC:H I:M A:M", fillcolor="#f4a6a6", penwidth=3];' \
	"graph --around: the centre drawn with a thick border"
hw graph --around vm
expect_eq "$(dot_nodes | tr '\n' ' ')" "app bk db host kiosk svc sw vm wiki " "graph --around vm: depth 2 by default"
hw graph --around spare --depth 5
expect_eq "$(dot_nodes | tr '\n' ' '):$(dot_edges | wc -l)" "spare :0" "graph --around an asset without dependencies: that node alone"
renders "dot renders a one-node graph"
hw graph --around vm --depth 0
expect_eq "$(dot_nodes | tr '\n' ' ')" "vm " "graph --around --depth 0: the centre alone"

# Names are quoted for DOT: a double quote and a backslash are escaped, a
# newline becomes \n.
hw_setup --quiet asset add q1 --name 'The "big" switch \ core' --type network_device --c low --i low --a low
hw_setup --quiet asset add q2 --name $'two\nlines' --type other
hw_setup --quiet dep add q1 sw --type connects_to --carries a
hw graph
expect_out_has '  "q1" [label="The \"big\" switch \\ core\nq1\nC:L I:L A:L", fillcolor="#b7e1a1"];' \
	"graph escapes a double quote and a backslash in a name"
expect_out_has '  "q2" [label="two\nlines\nq2\nC:? I:? A:?", fillcolor="#e0e0e0", color="#888888"];' \
	"graph writes a newline in a name as \\n"
renders "dot renders names with quotes, backslashes and newlines"
if [ -n "$DOT" ]; then
	expect_eq "$(grep -c 'The &quot;big&quot; switch \\ core' "$TMP/graph.svg")" 1 \
		"the SVG shows the name with its quotes"
else
	renders "the SVG shows the name with its quotes"
fi

# --- bad input -----------------------------------------------------------------------
refuse "graph --around an unknown asset" "unknown asset 'nope'" -- graph --around nope
refuse_usage "graph --depth abc" '--depth' '"abc"' 'not a count' -- graph --around vm --depth abc
refuse_usage "graph --depth -1" '--depth' '"-1"' -- graph --around vm --depth -1
refuse_usage "graph --depth 99999999999999999999 (overflows)" '--depth' -- graph --around vm --depth 99999999999999999999
hw graph extra
expect_rc 2 "graph takes no arguments (usage error)"
hw graph --bogus
expect_rc 2 "graph with an unknown option is a usage error"
# DESIGN.md section 2: "--json makes every read command print one JSON
# document on stdout."
hw --json graph
ok_if "--json graph prints one JSON document (or refuses)" \
	"$PYTHON" -c 'import json, sys
if sys.argv[2] == "0":
    json.load(open(sys.argv[1]))
else:
    sys.exit(sys.argv[2] not in ("1", "2") or open(sys.argv[1]).read() != "")' "$OUT_FILE" "$RC" 2>/dev/null
hw --json graph
expect_json '{n["id"]: [n["overall"], n["overall_exact"], n["baseline"], n["baseline_exact"]] for n in d["nodes"] if n["id"] in ("sw", "spare", "vm")}' \
	'{"spare":[null,false,null,false],"sw":["moderate",false,"MODERATE",false],"vm":["high",true,"HIGH",true]}' \
	"graph --json: overall and baseline with their exactness (sw a lower bound, spare none)"

# --- the demo inventory ---------------------------------------------------------------
demo_db
hw_setup export -o "$TMP/demo-export.json"
hw graph
expect_rc 0 "demo: graph exits 0"
renders "demo: dot -Tsvg renders the whole graph"
expect_eq "$(grep -c '^  "[^"]*" \[label=' "$OUT_FILE")" 114 "demo: one node line per asset (114)"
expect_eq "$(grep -c '^  "[^"]*" -> "[^"]*" \[' "$OUT_FILE")" 327 "demo: one edge line per dependency (327)"
expect_eq "$(wc -l <"$OUT_FILE")" $((4 + 114 + 327 + 1)) "demo: nothing else but the header and the closing brace"
expect_eq "$(dot_nodes)" "$("$PYTHON" -c 'import json, sys
for a in sorted(a["id"] for a in json.load(open(sys.argv[1]))["assets"]): print(a)' "$TMP/demo-export.json")" \
	"demo: the node ids are the asset ids"
expect_eq "$(dot_edges)" "$("$PYTHON" -c 'import json, sys
for e in sorted("%s -> %s" % (x["from"], x["to"]) for x in json.load(open(sys.argv[1]))["dependencies"]): print(e)' "$TMP/demo-export.json" | LC_ALL=C sort)" \
	"demo: the edges are the dependencies, from dependent to dependency"
expect_out_has '  "historian-vm-01" [label="Historian Server\nhistorian-vm-01\nC:H I:H A:H", fillcolor="#f4a6a6"];' \
	"demo: the historian VM (uncategorized, inherits HIGH) is red"
expect_out_has '  "ntp-srv-01" [label="NTP Time Server\nntp-srv-01\nC:? I:H A:?", fillcolor="#f4a6a6"];' \
	"demo: the NTP server (only integrity, HIGH, inherited) is red: HIGH exactly (FIPS 200)"
expect_out_has '  "dmz-sw-01" [label="DMZ Switch\ndmz-sw-01\nC:? I:? A:M\nat least MODERATE", fillcolor="#ffd98a", style="rounded,filled,dashed"];' \
	"demo: the DMZ switch (only availability, MODERATE) is amber, dashed and marked as a lower bound"
expect_out_has '  "lab-ws-01" [label="Lab Bench PC\nlab-ws-01\nC:? I:? A:?", fillcolor="#e0e0e0", color="#888888"];' \
	"demo: an asset with no level at all is grey"
expect_out_has '  "portal-db" [label=' "demo: portal-db is drawn"
expect_eq "$(grep '^  "portal-db" \[' "$OUT_FILE" | grep -o 'fillcolor="[^"]*"')" 'fillcolor="#ffd98a"' \
	"demo: the portal database (MODERATE) is amber"
expect_out_has '  "hydraulic-model" -> "scada-historian-db" [label="uses i", style=solid];' \
	"demo: an edge carrying integrity only is labelled with it"

# Every node's colour and C/I/A letters against categorize --json.
cp "$OUT_FILE" "$TMP/demo.dot"
hw --json categorize
ok_if "demo: every node's fill colour, C/I/A letters and lower-bound mark follow its effective levels" \
	"$PYTHON" -c '
import json, re, sys
cat = json.load(open(sys.argv[1]))
fill = {"high": "#f4a6a6", "moderate": "#ffd98a", "low": "#b7e1a1", None: "#e0e0e0"}
letter = {"high": "H", "moderate": "M", "low": "L", None: "?"}
nodes = {}
for line in open(sys.argv[2]):
    m = re.match(r"  \"([^\"]*)\" \[label=\".*\\n\1\\nC:(.) I:(.) A:(.)(\\nat least [A-Z]+)?\", fillcolor=\"([^\"]*)\"(, style=\"rounded,filled,dashed\")?", line)
    if m:
        nodes[m.group(1)] = (m.group(2) + m.group(3) + m.group(4), m.group(6),
                             m.group(5), bool(m.group(7)))
bad = 0
for a in cat["assets"]:
    e = a["effective"]
    # Coloured by the highest known level; a lower bound dashed and marked.
    lower = a["overall"] is not None and not a["overall_exact"]
    want = (letter[e["confidentiality"]] + letter[e["integrity"]] + letter[e["availability"]], fill[a["overall"]],
            "\\nat least " + a["overall"].upper() if lower else None, lower)
    if nodes.get(a["id"]) != want:
        print("# %s: got %s, expected %s" % (a["id"], nodes.get(a["id"]), want))
        bad += 1
sys.exit(1 if bad or len(nodes) != len(cat["assets"]) else 0)
' "$OUT_FILE" "$TMP/demo.dot" 2>&1

hw graph --around scada-historian-db --depth 1
expect_eq "$(dot_nodes | tr '\n' ' ')" \
	"historian-vm-01 hydraulic-model ot-active-directory scada-historian-db scada-system-platform telemetry-poller " \
	"demo: graph --around scada-historian-db --depth 1: exactly the historian and its neighbours"
expect_eq "$(dot_edges)" "historian-vm-01 -> ot-active-directory
hydraulic-model -> scada-historian-db
scada-historian-db -> historian-vm-01
scada-historian-db -> ot-active-directory
scada-system-platform -> ot-active-directory
scada-system-platform -> scada-historian-db
scada-system-platform -> telemetry-poller
telemetry-poller -> ot-active-directory
telemetry-poller -> scada-historian-db" \
	"demo: graph --around: every dependency among those six, and no other"
renders "demo: dot renders the neighbourhood"
refuse "demo: graph --around an unknown asset" "unknown asset 'no-such-asset'" -- graph --around no-such-asset

done_testing
