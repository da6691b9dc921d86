-- bench_soak.lua - the request mix of scripts/bench_soak.sh for wrk (@IDS@ and @FIRST@ are
-- filled in by the script): 70 % cheap requests, 10 % A1 posters and maps, 10 % statistics
-- that miss the cache (a filter never asked before), 10 % pages of 10,000 features.
-- Counts the answers by status; done() prints them as "status NNN: count".
local cheap = {"/", "/collections", "/collections/cm-tambon/items?limit=10",
               "/collections/cm-districts"}
local posters = {"/scenarios/compare.pdf?ids=@IDS@&paper=A1",
                 "/scenarios/@FIRST@/map.png?paper=A1&dpi=100"}
local stats = "/stats?layer=cm-cbd-pois&by=cm-tambon&filter=category%20%3C%3E%20%27x"
local big = "/collections/cm-cbd-roads/items?limit=10000"

local threads = {}
local thread_n = 0

function setup(thread)
    thread_n = thread_n + 1
    thread:set("id", thread_n)
    table.insert(threads, thread)
end

function init(args)
    counts = {}
    sent = 0
    math.randomseed(id * 7919 + os.time())
end

function request()
    sent = sent + 1
    local r = math.random(100)
    local path
    if r <= 70 then
        path = cheap[math.random(#cheap)]
    elseif r <= 80 then
        path = posters[math.random(#posters)]
    elseif r <= 90 then
        path = stats .. id .. "-" .. sent .. "-" .. math.random(1000000) .. "%27"
    else
        path = big
    end
    return wrk.format("GET", path)
end

function response(status, headers, body)
    counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
    local total = {}
    for _, thread in ipairs(threads) do
        for status, n in pairs(thread:get("counts")) do
            total[status] = (total[status] or 0) + n
        end
    end
    for status, n in pairs(total) do
        io.write(string.format("status %d: %d\n", status, n))
    end
end
