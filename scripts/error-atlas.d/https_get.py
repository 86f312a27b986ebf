"""The Python client of scripts/error-atlas: urllib (which reads https_proxy from the
environment) with a default SSL context trusting only the lab root.
Usage: python3 https_get.py URL CA_FILE"""
import ssl
import sys
import urllib.request

context = ssl.create_default_context(cafile=sys.argv[2])
with urllib.request.build_opener(urllib.request.HTTPSHandler(context=context)).open(sys.argv[1], timeout=30) as response:
    response.read()
    print("HTTP", response.status)
