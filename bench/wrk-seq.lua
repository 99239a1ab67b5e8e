-- wrk script of bench/run for scenarios whose requests differ from one another (the
-- scenario's flags, see bench/scenarios). Same environment as wrk.lua (BENCH_METHOD,
-- BENCH_COOKIE, BENCH_BODY), plus:
--
--   BENCH_PATH         the path; `{seq}` is replaced by a number, `{desk}` by a desk id
--   BENCH_XFF=1        each request from another client address (X-Forwarded-For
--                      10.x.y.z; the server trusts 127.0.0.1 as a proxy in this phase),
--                      so the per-address rations are not what is measured
--   BENCH_KEYS_FILE    API keys, one a line: `&api_key=KEY` is appended to the body,
--                      turn by turn (the per-key ration)
--   BENCH_SEQ_START, BENCH_SEQ_STRIDE
--                      `{seq}` (7 digits): thread t's k-th request uses
--                      START + t * STRIDE + k — every request its own (a token rated
--                      once); bench/run moves START on after each wrk run
--   BENCH_DESKS        desk ids, comma-separated: thread t works desk t and alternates
--                      `transfer` (BENCH_TRANSFER_BODY: give the ticket back to its
--                      category) and the scenario's act (`call`), so the queue keeps its
--                      length; bench/run runs one connection per thread
--
-- One Lua call per request (request()): heavier on wrk than wrk.lua, so it is used only
-- where a request must differ.

local method = os.getenv("BENCH_METHOD") or "GET"
if method == "" then method = "GET" end
local cookie = os.getenv("BENCH_COOKIE") or ""
local body = os.getenv("BENCH_BODY") or ""
local path = os.getenv("BENCH_PATH") or "/"
local xff = os.getenv("BENCH_XFF") == "1"
local keys_file = os.getenv("BENCH_KEYS_FILE") or ""
local seq_start = tonumber(os.getenv("BENCH_SEQ_START") or "0")
local seq_stride = tonumber(os.getenv("BENCH_SEQ_STRIDE") or "0")
local desks_env = os.getenv("BENCH_DESKS") or ""
local transfer_body = os.getenv("BENCH_TRANSFER_BODY") or ""

local headers = {}
if cookie ~= "" then headers["Cookie"] = cookie end
if body ~= "" then
  if string.sub(body, 1, 1) == "{" then
    headers["Content-Type"] = "application/json"
  else
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  headers["Sec-Fetch-Site"] = "same-origin"
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local keys = {}
local desks = {}
local my_desk = nil
local turn = 0

function init(args)
  if keys_file ~= "" then
    for line in io.lines(keys_file) do
      if line ~= "" then table.insert(keys, line) end
    end
  end
  for d in string.gmatch(desks_env, "[^,]+") do table.insert(desks, d) end
  if #desks > 0 then my_desk = desks[(tid % #desks) + 1] end
  math.randomseed(os.time() + tid * 7919)
end

function request()
  counter = counter + 1
  local p = path
  local b = body
  if seq_stride > 0 then
    p = string.gsub(p, "{seq}", string.format("%07d", seq_start + tid * seq_stride + counter - 1))
  end
  if my_desk then
    p = string.gsub(p, "{desk}", my_desk)
    turn = turn + 1
    if turn % 2 == 1 then
      -- First give back what the desk holds (a refusal when it holds nothing).
      p = string.gsub(p, "/[^/]*$", "/transfer")
      b = transfer_body
    end
  end
  if #keys > 0 then
    b = b .. "&api_key=" .. keys[((tid * 7 + counter) % #keys) + 1]
  end
  local h = headers
  if xff then
    h = {}
    for k, v in pairs(headers) do h[k] = v end
    h["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255),
      math.random(0, 255), math.random(1, 254))
  end
  return wrk.format(method, p, h, b)
end

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
