-- random_bbox.lua - wrk script for map views: every request asks for a new box of
-- SIZE x SIZE degrees, its lower-left corner uniform in the data's box, as a web map
-- panning over a city does, so neither server answers a box it has seen (no cached count,
-- no hot pages of one area). The seed makes the sequence the same for both servers; each
-- wrk thread adds its number to it, since threads seeded alike would ask every box twice
-- (the second time from the server's cache).
--
--   wrk ... -s random_bbox.lua http://127.0.0.1:PORT -- PREFIX SUFFIX SIZE SEED \
--       MIN_LON MIN_LAT MAX_LON MAX_LAT
--
-- Requests are PREFIX .. "minlon,minlat,maxlon,maxlat" .. SUFFIX; SUFFIX may be "-".

local prefix, suffix, size, box
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  prefix, suffix, size = args[1], args[2], tonumber(args[3])
  box = {tonumber(args[5]), tonumber(args[6]), tonumber(args[7]), tonumber(args[8])}
  if suffix == "-" then
    suffix = ""
  end
  if not prefix or not size or not tonumber(args[4]) or not box[4] then
    error("usage: -- PREFIX SUFFIX SIZE SEED MIN_LON MIN_LAT MAX_LON MAX_LAT")
  end
  math.randomseed(tonumber(args[4]) * 1000 + (thread_number or 0))
end

function request()
  local x = box[1] + math.random() * (box[3] - box[1] - size)
  local y = box[2] + math.random() * (box[4] - box[2] - size)
  local b = string.format("%.5f,%.5f,%.5f,%.5f", x, y, x + size, y + size)
  return wrk.format("GET", prefix .. b .. suffix)
end
