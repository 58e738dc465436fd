-- wrk script: each request is one buyer's checkout of the hot SKU, with a fresh Idempotency-Key.
-- Buyers take turns so that none holds more than 5 unpaid units of the SKU (the marketplace's limit).
-- Arguments: <tokens file> <sku id> <first buyer index>.
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  for line in io.lines(args[1]) do tokens[#tokens + 1] = line end
  body = '{"items": [{"sku": "' .. args[2] .. '", "quantity": 1}]}'
  first = tonumber(args[3])
  sent = 0
  stride = 1000000
end

function request()
  local index = thread_number * stride + sent
  sent = sent + 1
  local token = tokens[(first + math.floor(index / 5)) % #tokens + 1]
  return wrk.format("POST", "/api/checkout/", {
    ["Authorization"] = "Token " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "bench-" .. thread_number .. "-" .. sent,
  }, body)
end
