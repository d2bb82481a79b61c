-- wrk script for tests/bench/bench_load.py.
--
-- Arguments (after `--`): rate paths cookie marker requests capture
--   rate      requests per second for this wrk thread; 0 = as fast as possible
--   paths     paths separated by "|", taken in turn (GET)
--   cookie    Cookie header, or "-" for none
--   marker    text every good answer contains, or "-": an answer without it,
--             or with a status outside 2xx, is counted as bad
--   requests  "-", or a file of prepared POSTs, each used once, in order:
--             path, Cookie, Content-Type and body length on a line each, then
--             the body (bench_load.py writes them from pages visitors loaded)
--   capture   "-", or a file to write, for each answer with status 200, the
--             csrftoken cookie it set and its hidden inputs (one line each:
--             cookie, then name=value, separated by tabs)
-- Answers with "X-Cache-Status: HIT" (deploy/nginx.conf) are counted as hits.
-- At the end it prints one line of JSON with throughput, latency and counts.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } timespec;
  int clock_gettime(int clock_id, timespec *tp);
]]
local timespec = ffi.new("timespec")

local function now_ms()
  ffi.C.clock_gettime(1, timespec) -- CLOCK_MONOTONIC
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local function split(text, separator)
  local parts = {}
  for part in string.gmatch(text, "([^" .. separator .. "]+)") do
    table.insert(parts, part)
  end
  return parts
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- Globals, so that done() can read them from each thread.
bad_status, bad_body, reused, hits = 0, 0, 0, 0

local interval, next_at, paths, headers, marker, prepared, capture, turn

function init(args)
  local rate = tonumber(args[1])
  interval = rate > 0 and 1000 / rate or 0
  next_at = now_ms()
  paths = split(args[2], "|")
  headers = {}
  if args[3] ~= "-" then
    headers["Cookie"] = args[3]
  end
  marker = args[4] ~= "-" and args[4] or nil
  if args[5] ~= "-" then
    prepared = assert(io.open(args[5], "rb"))
  end
  if args[6] ~= "-" then
    capture = assert(io.open(args[6], "a"))
    capture:setvbuf("line") -- wrk may end without closing it
  end
  turn = 0
end

local function next_post()
  local path = prepared:read("*l")
  if not path then
    -- Every form was sent: start again. Each of these gets "already
    -- received" instead of a receipt, so it counts as bad.
    prepared:seek("set", 0)
    reused = reused + 1
    path = assert(prepared:read("*l"), "no prepared requests")
  end
  local cookie = prepared:read("*l")
  local content_type = prepared:read("*l")
  local body = prepared:read(tonumber(prepared:read("*l")))
  return wrk.format("POST", path, { Cookie = cookie, ["Content-Type"] = content_type,
    Origin = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port,
    Referer = wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port .. path }, body)
end

function request()
  if prepared then
    return next_post()
  end
  turn = turn % #paths + 1
  return wrk.format("GET", paths[turn], headers)
end

-- A fixed rate: each request gets the next slot of the schedule, whichever
-- connection sends it. A schedule that fell behind by more than a second
-- starts again from now rather than sending a burst.
function delay()
  if interval == 0 then
    return 0
  end
  local now = now_ms()
  next_at = next_at + interval
  if next_at < now - 1000 then
    next_at = now
  end
  return math.max(0, next_at - now)
end

function response(status, response_headers, body)
  if status < 200 or status > 299 then
    bad_status = bad_status + 1
  elseif marker and not string.find(body, marker, 1, true) then
    bad_body = bad_body + 1
  end
  local cookie = ""
  for name, value in pairs(response_headers) do
    name = string.lower(name)
    if name == "x-cache-status" and value == "HIT" then
      hits = hits + 1
    elseif name == "set-cookie" then
      cookie = string.match(value, "^(csrftoken=[^;]*)") or cookie
    end
  end
  if capture and status == 200 then
    local line = { cookie }
    for tag in string.gmatch(body, '<input type="hidden"[^>]*>') do
      local name = string.match(tag, ' name="([^"]*)"')
      if name then
        table.insert(line, name .. "=" .. (string.match(tag, ' value="([^"]*)"') or ""))
      end
    end
    capture:write(table.concat(line, "\t"), "\n")
  end
end

function done(summary, latency, requests)
  local counts = { bad_status = 0, bad_body = 0, reused = 0, hits = 0 }
  for _, thread in ipairs(threads) do
    for name in pairs(counts) do
      counts[name] = counts[name] + thread:get(name)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, ' ..
    '"bad_status": %d, "bad_body": %d, "reused": %d, "hits": %d, "socket_errors": %d}\n',
    summary.requests,
    summary.duration / 1e6,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    counts.bad_status,
    counts.bad_body,
    counts.reused,
    counts.hits,
    errors.connect + errors.read + errors.write + errors.timeout
  ))
end
