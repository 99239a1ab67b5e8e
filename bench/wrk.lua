-- wrk script used by bench/run for every scenario. The request is configured through
-- the environment (set by bench/run); done() prints one machine-readable line.
--
--   BENCH_METHOD   GET, POST, …            (default GET)
--   BENCH_COOKIE   value of the Cookie header (optional)
--   BENCH_BODY     request body (optional; JSON when it starts with `{`, else a
--                  urlencoded form)

local method = os.getenv("BENCH_METHOD")
if method and method ~= "" then
  wrk.method = method
end

local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
  -- A body starting with `{` is JSON for the API; anything else a form post.
  if string.sub(body, 1, 1) == "{" then
    wrk.headers["Content-Type"] = "application/json"
  else
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  -- What a browser sends with a same-origin form post (the CSRF check reads it).
  wrk.headers["Sec-Fetch-Site"] = "same-origin"
end

-- No request()/response() hooks: they run Lua for every request and would make the
-- load generator, not the server, the bottleneck on a 2-core machine.

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d rps=%.1f p50_us=%d p90_us=%d p95_us=%d p99_us=%d max_us=%d " ..
    "bad_status=%d socket_errors=%d\n",
    summary.requests, summary.requests / seconds,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
