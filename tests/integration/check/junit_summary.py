"""Reads a JUnit XML file with xml.etree (as CI test reporters do) and prints one line per
testcase: `<classname> <name> pass|fail <failure message>`, after a first line
`testsuites=N tests=N failures=N`. Exit 1 when the file is not well-formed XML."""
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
cases = [case for suite in suites for case in suite.findall("testcase")]
failures = sum(1 for case in cases if case.find("failure") is not None)
print(f"testsuites={len(suites)} tests={suites[0].get('tests') if suites else 0} failures={failures} cases={len(cases)}")
for case in cases:
    failure = case.find("failure")
    out = case.find("system-out")
    has_out = "out" if out is not None and (out.text or "").startswith("$ ") else "no-out"
    print(case.get("classname"), case.get("name"), "pass" if failure is None else "fail", has_out,
          "" if failure is None else failure.get("message"))
