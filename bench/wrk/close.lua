-- A new connection per request: wrk reconnects whenever the server closes. Note that wrk keeps its TLS session
-- across reconnects, so most of these handshakes are resumptions (the bare Netty server counts them); scenario 3
-- therefore measures full handshakes with our own client (loadgen handshake) and reports this one beside it.
wrk.headers["Connection"] = "close"
dofile("report.lua")
