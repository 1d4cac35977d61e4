-- Helpers shared by the pure-Lua libraries (Scripting/Libraries): error reporting as the C
-- libraries' luaL_* calls give it and Lua 5.1 argument checks. Run once per lua_State by the
-- prelude, which hands the returned table to the libraries as natives.support.

local sub, format = string.sub, string.format
local tpack, tunpack = table.pack, table.unpack
local mtype, tointeger, floor, ceil, mininteger = math.type, math.tointeger, math.floor, math.ceil, math.mininteger
local type, tonumber, error, pcall, setmetatable, getmetatable =
  type, tonumber, error, pcall, setmetatable, getmetatable
local getinfo = debug.getinfo

-- Errors ----------------------------------------------------------------------------------------
-- Failures are raised as tables and re-raised by the API wrapper, so the message carries the
-- position of the script's call (as luaL_error's does) and argument errors name the function as
-- the script called it (as luaL_argerror does). Lua's own runtime errors raised inside the C code
-- ("table index is nil") carry no position.

local Failure = {}
local function fail(message) error(setmetatable({ message = message }, Failure), 0) end
local function argfail(narg, message) error(setmetatable({ message = message, narg = narg }, Failure), 0) end
local function runtimefail(message) error(setmetatable({ message = message, bare = true }, Failure), 0) end

-- Called by an API wrapper (level 2). As with luaL_error, the message gets the position of the
-- wrapper's caller (level 3). A tail call from Lua leaves no frame for that caller (C functions
-- keep theirs): then the nearest script function further up stands in for it (skipping C and the
-- engine's own chunks, named "=..."), and the function is named as registered.
local function raise(e, name)
  if getmetatable(e) ~= Failure then error(e, 0) end
  local message = e.message
  if e.bare then error(message, 0) end
  local caller = getinfo(2, 'nt')
  if e.narg then
    local narg, fname = e.narg, caller.name or (caller.istailcall and name) or '?'
    if caller.namewhat == 'method' then narg = narg - 1 end
    if caller.namewhat == 'method' and narg == 0 then
      message = "calling '" .. fname .. "' on bad self (" .. message .. ')'
    else
      message = 'bad argument #' .. narg .. " to '" .. fname .. "' (" .. message .. ')'
    end
  end
  local level = 3
  if caller.istailcall then
    local info = getinfo(level, 'S')
    while info and (info.what == 'C' or sub(info.source, 1, 1) == '=') do
      level = level + 1
      info = getinfo(level, 'S')
    end
  end
  error(message, level)
end

local function api(name, impl)
  return function(...)
    local r = tpack(pcall(impl, ...))
    if r[1] then return tunpack(r, 2, r.n) end
    raise(r[2], name)
  end
end

-- Lua 5.1 values ------------------------------------------------------------------------------

-- Redis's Lua has only doubles. Integral values that %.14g prints without an exponent become
-- integers, so that tostring and '..' print them as Redis does; the others stay floats.
local function num51(d)
  if d > -1e14 and d < 1e14 then
    local i = tointeger(d)
    if i and (i ~= 0 or 1 / d > 0) then return i end
  end
  return d
end

local function typename(args, i)
  if i > args.n then return 'no value' end
  return type(args[i])
end

-- luaL_checkinteger: a number or numeric string, truncated as C's double to int64 cast does
-- (out of range and NaN give INT64_MIN).
local function checkinteger(args, i)
  local v = args[i]
  local d = mtype(v) and v or type(v) == 'string' and tonumber(v)
  if not d then argfail(i, 'number expected, got ' .. typename(args, i)) end
  d = d * 1.0
  if d >= -0x1p63 and d < 0x1p63 then return d >= 0 and floor(d) or ceil(d) end
  return mininteger
end

local function optinteger(args, i, default)
  if args[i] == nil then return default end
  return checkinteger(args, i)
end

local function checklstring(args, i)
  local v = args[i]
  if type(v) == 'string' then return v end
  if mtype(v) then return format('%.14g', v) end
  argfail(i, 'string expected, got ' .. typename(args, i))
end

-- C's (int) of a 64-bit integer.
local function int32(n)
  n = n & 0xffffffff
  return n >= 0x80000000 and n - 0x100000000 or n
end

return {
  fail = fail, argfail = argfail, runtimefail = runtimefail, api = api,
  num51 = num51, typename = typename, checkinteger = checkinteger, optinteger = optinteger,
  checklstring = checklstring, int32 = int32,
}
