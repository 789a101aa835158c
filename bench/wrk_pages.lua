-- wrk script: one thread per Bench Brand member (wrk -t = BENCH_USERS), each with its own session and CSRF
-- cookie (bench/loadtest.py). Each thread opens its member's main pages in turn and, every WRITE_EVERY-th
-- request, makes one of its member's writes (submit an idea, move an editorial item, approve a publication)
-- with the CSRF token read from the last page that member opened, as a browser's form carries it.
-- Errors: any 5xx, a redirect to the login page (a lost session), and wrk's socket errors and timeouts.
-- A write refused by design (a 4xx: the role, four eyes) is counted apart, not as an error.
local WRITE_EVERY = tonumber(os.getenv("WRITE_EVERY") or "5")
local users = tonumber(os.getenv("BENCH_USERS") or "1")
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", ((next_id - 1) % users) + 1)
  table.insert(threads, thread)
end

function init(args)
  paths, writes = {}, {}
  for p in string.gmatch(os.getenv("BENCH_PATHS_" .. id) or "/", "%S+") do table.insert(paths, p) end
  for w in string.gmatch(os.getenv("BENCH_WRITES_" .. id) or "", "%S+") do
    local path, body = string.match(w, "^([^|]+)|(.*)$")
    table.insert(writes, { path = path, body = body })
  end
  cookie = os.getenv("BENCH_COOKIE_" .. id) or ""
  token = nil
  n, reads, posts = 0, 0, 0
  ok, refused, errors, lost = 0, 0, 0, 0
end

function request()
  n = n + 1
  if token and #writes > 0 and n % WRITE_EVERY == 0 then
    posts = posts + 1
    local w = writes[(posts % #writes) + 1]
    local body = "csrfmiddlewaretoken=" .. token .. (w.body ~= "" and ("&" .. w.body) or "")
    return wrk.format("POST", w.path, {
      ["Cookie"] = cookie, ["Host"] = "127.0.0.1",
      ["Content-Type"] = "application/x-www-form-urlencoded", ["X-CSRFToken"] = token,
    }, body)
  end
  reads = reads + 1
  return wrk.format("GET", paths[(reads % #paths) + 1], { ["Cookie"] = cookie, ["Host"] = "127.0.0.1" })
end

function response(status, headers, body)
  if status >= 500 then
    errors = errors + 1
  elseif status >= 400 then
    refused = refused + 1
  elseif status >= 300 and string.find(headers["Location"] or "", "/accounts/login/", 1, true) then
    lost = lost + 1
  else
    ok = ok + 1
  end
  if status == 200 and body then
    local found = string.match(body, 'name="csrfmiddlewaretoken" value="([%w]+)"')
    if found then token = found end
  end
end

function done(summary, latency, requests)
  local t = { reads = 0, posts = 0, ok = 0, refused = 0, errors = 0, lost = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  local seconds = summary.duration / 1e6
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write
  io.write(string.format(
    '{"requests": %d, "seconds": %.1f, "requests_per_s": %.1f, "p50_ms": %.1f, "p95_ms": %.1f, "p99_ms": %.1f, ' ..
    '"max_ms": %.1f, "reads_sent": %d, "writes_sent": %d, "answered_ok": %d, "refused_4xx": %d, ' ..
    '"server_errors_5xx": %d, "login_redirects": %d, "socket_errors": %d, "timeouts": %d, "errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    t.reads, t.posts, t.ok, t.refused, t.errors, t.lost, socket, summary.errors.timeout,
    t.errors + t.lost + socket + summary.errors.timeout))
end
