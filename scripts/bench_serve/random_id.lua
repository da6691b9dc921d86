-- random_id.lua - wrk script for "one feature by id": every request asks for
-- PREFIX .. id .. SUFFIX with id uniform in 1..COUNT, so the benchmark does not
-- measure one row that stays hot in every cache. The seed makes the sequence
-- the same for both servers.
--
--   wrk ... -s random_id.lua http://127.0.0.1:PORT -- PREFIX SUFFIX COUNT SEED
--
-- SUFFIX may be "-" for none (an empty argument is easy to lose in a shell).

local prefix, suffix, count

function init(args)
  prefix, suffix, count = args[1], args[2], tonumber(args[3])
  if suffix == "-" then
    suffix = ""
  end
  if not prefix or not count or count < 1 or not tonumber(args[4]) then
    error("usage: -- PREFIX SUFFIX COUNT SEED")
  end
  math.randomseed(tonumber(args[4]))
end

function request()
  return wrk.format("GET", prefix .. math.random(count) .. suffix)
end
