"""Reads a JUnit XML file with xml.etree (as CI test reporters do) and prints one line per
testcase: `<classname> <name> pass|fail|skipped <failure or skipped message>`, after a first line
`testsuites=N tests=N failures=N`. Exit 1 when the file is not well-formed XML."""
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
cases = [case for suite in suites for case in suite.findall("testcase")]
failures = sum(1 for case in cases if case.find("failure") is not None)
print(f"testsuites={len(suites)} tests={suites[0].get('tests') if suites else 0} failures={failures} cases={len(cases)}")
for case in cases:
    failure, skipped = case.find("failure"), case.find("skipped")
    out = case.find("system-out")
    has_out = "out" if out is not None and (out.text or "").startswith("$ ") else "no-out"
    result = "fail" if failure is not None else "skipped" if skipped is not None else "pass"
    told = failure if failure is not None else skipped
    print(case.get("classname"), case.get("name"), result, has_out, "" if told is None else told.get("message"))
