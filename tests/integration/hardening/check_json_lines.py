# Exits 0 when every line of the file is a JSON object that a strict parser accepts (valid
# UTF-8 included); otherwise prints the first bad line's number and the parser's complaint.
import json
import sys

with open(sys.argv[1], "rb") as f:
    for number, line in enumerate(f, 1):
        try:
            if not isinstance(json.loads(line), dict):
                raise ValueError("not an object")
        except ValueError as e:
            print("line %d: %s" % (number, e))
            sys.exit(1)
print("OK")
