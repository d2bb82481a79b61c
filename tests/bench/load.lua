-- wrk script for tests/bench/bench_load.py.
--
-- Arguments (after `--`): rate paths cookie form
--   rate    requests per second for this wrk thread; 0 = as fast as possible
--   paths   paths separated by "|", taken in turn
--   cookie  Cookie header, or "-" for none
--   form    "-" for GET; otherwise a url-encoded POST body in which
--           {n} is replaced by a number unique to the request within
--           this run (bench_load.py puts a prefix unique to the run before it)
-- At the end it prints one line of JSON with throughput, latency and errors.

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

local threads_made = 0

function setup(thread)
  thread:set("thread_number", threads_made)
  threads_made = threads_made + 1
end

local interval, next_at, paths, headers, form, counter, turn

function init(args)
  local rate = tonumber(args[1])
  interval = rate > 0 and 1000 / rate or 0
  next_at = now_ms()
  paths = split(args[2], "|")
  headers = {}
  if args[3] ~= "-" then
    headers["Cookie"] = args[3]
  end
  form = args[4] ~= "-" and args[4] or nil
  if form then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  counter = 0
  turn = 0
end

function request()
  turn = turn % #paths + 1
  counter = counter + 1
  if form then
    local unique = (thread_number or 0) .. "-" .. counter
    return wrk.format("POST", paths[turn], headers, (form:gsub("{n}", unique)))
  end
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

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, ' ..
    '"status_errors": %d, "socket_errors": %d}\n',
    summary.requests,
    summary.duration / 1e6,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    errors.status,
    errors.connect + errors.read + errors.write + errors.timeout
  ))
end
