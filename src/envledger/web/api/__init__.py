"""The JSON API under ``/api/v1/``: the public twin of every figure on the page
(``disclosure``) and the signed-in ledger reads and evidence downloads (``ledger``).
"""
