-- wrk script: the reference, a bare DRF POST that decrements one SKU's stock.
-- Argument: <sku primary key>.
function init(args)
  path = "/bench/decrement/" .. args[1] .. "/"
end

function request()
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, "{}")
end
