-- cmsgpack: lua-cmsgpack 0.4.0 as Redis 7.0 ships it (lua_cmsgpack.c built for Lua 5.1), in
-- Lua 5.4. Loaded once per lua_State; returns the library table. Behaviour follows the C code on
-- x86-64 Linux: Lua 5.1 numbers (doubles) and a C stack of 8000 slots (LUAI_MAXCSTACK), whose
-- exhaustion gives Redis's "stack overflow (...)" errors.

local byte, char, sub, format, spack, sunpack =
  string.byte, string.char, string.sub, string.format, string.pack, string.unpack
local concat, tpack, tunpack = table.concat, table.pack, table.unpack
local mtype, tointeger, floor, huge = math.type, math.tointeger, math.floor, math.huge
local type, select, next, rawget, rawlen = type, select, next, rawget, rawlen

local MAXCSTACK = 8000
local MAX_NESTING = 16
local INT_MAX = 0x7fffffff
local TOO_MANY_VALUES = 'too many return values at once; use unpack_one or unpack_limit instead.'

local natives = ...
local support = natives.support
local fail, argfail, runtimefail, api, num51, checkinteger, optinteger, checklstring, int32 =
  support.fail, support.argfail, support.runtimefail, support.api, support.num51, support.checkinteger,
  support.optinteger, support.checklstring, support.int32

-- luaL_checkstack: 'top' is how many slots the C function's stack holds.
local function checkstack(top, space, what)
  if top + space > MAXCSTACK then fail('stack overflow (' .. what .. ')') end
end

-- Encoding --------------------------------------------------------------------------------------

local function encode_int(out, n)
  if n >= 0 then
    if n <= 127 then out[#out + 1] = char(n)
    elseif n <= 0xff then out[#out + 1] = char(0xcc, n)
    elseif n <= 0xffff then out[#out + 1] = spack('>BI2', 0xcd, n)
    elseif n <= 0xffffffff then out[#out + 1] = spack('>BI4', 0xce, n)
    else out[#out + 1] = spack('>Bi8', 0xcf, n) end
  else
    if n >= -32 then out[#out + 1] = char(n & 0xff)
    elseif n >= -128 then out[#out + 1] = char(0xd0, n & 0xff)
    elseif n >= -32768 then out[#out + 1] = spack('>Bi2', 0xd1, n)
    elseif n >= -0x80000000 then out[#out + 1] = spack('>Bi4', 0xd2, n)
    else out[#out + 1] = spack('>Bi8', 0xd3, n) end
  end
end

-- A double that survives the trip through a float is packed as one.
local function encode_double(out, d)
  local f = spack('>f', d)
  if sunpack('>f', f) == d then out[#out + 1] = '\202' .. f
  else out[#out + 1] = spack('>Bd', 0xcb, d) end
end

-- Lua 5.1 numbers are doubles: integral ones in int64 range are packed as integers.
local function encode_number(out, n)
  local d = n * 1.0
  if d ~= huge and d ~= -huge and d >= -0x1p63 and d < 0x1p63 and d == floor(d) then
    encode_int(out, tointeger(d))
  else
    encode_double(out, d)
  end
end

local function encode_string(out, s)
  local len = #s
  if len < 32 then out[#out + 1] = char(0xa0 | len)
  elseif len <= 0xff then out[#out + 1] = char(0xd9, len)
  elseif len <= 0xffff then out[#out + 1] = spack('>BI2', 0xda, len)
  else out[#out + 1] = spack('>BI4', 0xdb, len & 0xffffffff) end
  out[#out + 1] = s
end

local function encode_header(out, n, fix, b16, b32)
  if n <= 15 then out[#out + 1] = char(fix | n)
  elseif n <= 65535 then out[#out + 1] = spack('>BI2', b16, n)
  else out[#out + 1] = spack('>BI4', b32, n & 0xffffffff) end
end

-- Keys 1..N only, N being the number of keys; a key must fit a C int.
local function table_is_an_array(t)
  local count, max = 0, 0
  for k in next, t do
    if not mtype(k) then return false end
    local d = k * 1.0
    if d <= 0 or d >= 0x1p31 or d ~= floor(d) then return false end
    if d > max then max = d end
    count = count + 1
  end
  return max == count
end

local encode_value

-- 'top' counts the C stack slots in use, the value being encoded being the topmost.
local function encode_table(out, t, level, top)
  checkstack(top, 2, 'in function table_is_an_array')
  if table_is_an_array(t) then
    checkstack(top, 1, 'in function mp_encode_lua_table_as_array')
    local len = rawlen(t)
    encode_header(out, len, 0x90, 0xdc, 0xdd)
    for j = 1, len do encode_value(out, rawget(t, j), level + 1, top + 1) end
  else
    checkstack(top, 3, 'in function mp_encode_lua_table_as_map')
    local len = 0
    for _ in next, t do len = len + 1 end
    encode_header(out, len, 0x80, 0xde, 0xdf)
    for k, v in next, t do
      encode_value(out, k, level + 1, top + 3)
      encode_value(out, v, level + 1, top + 2)
    end
  end
end

-- Tables nested MAX_NESTING deep (or circular ones) are packed as nil.
encode_value = function(out, v, level, top)
  local t = type(v)
  if t == 'string' then encode_string(out, v)
  elseif t == 'boolean' then out[#out + 1] = v and '\195' or '\194'
  elseif t == 'number' then encode_number(out, v)
  elseif t == 'table' and level < MAX_NESTING then encode_table(out, v, level, top)
  else out[#out + 1] = '\192' end
end

local function pack(...)
  local nargs = select('#', ...)
  if nargs == 0 then argfail(0, 'MessagePack pack needs input.') end
  if nargs + nargs > MAXCSTACK then argfail(0, 'Too many arguments for MessagePack pack.') end
  local out = {}
  for i = 1, nargs do encode_value(out, (select(i, ...)), 0, nargs + i) end
  return concat(out)
end

-- Decoding --------------------------------------------------------------------------------------

local function need(s, pos, n)
  if #s - pos + 1 < n then fail('Missing bytes in input.') end
end

local decode_value

-- A table index as lua_settable checks it (a NaN or nil key is an error).
local function settable(t, k, v)
  if k == nil then runtimefail('table index is nil') end
  if k ~= k then runtimefail('table index is NaN') end
  t[k] = v
end

-- 'top' counts the C stack slots in use before the table is pushed.
local function decode_array(s, pos, len, top)
  local t = {}
  checkstack(top + 1, 1, 'in function mp_decode_to_lua_array')
  local v
  for i = 1, len do
    v, pos = decode_value(s, pos, top + 2)
    t[i] = v
  end
  return t, pos
end

local function decode_map(s, pos, len, top)
  local t = {}
  local k, v
  for _ = 1, len do
    k, pos = decode_value(s, pos, top + 1)
    v, pos = decode_value(s, pos, top + 2)
    settable(t, k, v)
  end
  return t, pos
end

local function int_at(s, pos, fmt, size)
  need(s, pos, size + 1)
  return num51(sunpack(fmt, s, pos + 1) * 1.0), pos + size + 1
end

local function raw_at(s, pos, fmt, size)
  need(s, pos, size + 1)
  local len = sunpack(fmt, s, pos + 1)
  pos = pos + size + 1
  need(s, pos, len)
  return sub(s, pos, pos + len - 1), pos + len
end

local function container_at(s, pos, fmt, size, decode, top)
  need(s, pos, size + 1)
  return decode(s, pos + size + 1, sunpack(fmt, s, pos + 1), top)
end

-- Decodes the value at s[pos]; returns it and the position after it. 'top' counts the C stack
-- slots in use before the value is pushed.
decode_value = function(s, pos, top)
  need(s, pos, 1)
  checkstack(top, 1, TOO_MANY_VALUES)
  local c = byte(s, pos)
  if c < 0x80 then return c, pos + 1 end
  if c >= 0xe0 then return c - 256, pos + 1 end
  if c >= 0xa0 and c <= 0xbf then
    local len = c & 0x1f
    need(s, pos, len + 1)
    return sub(s, pos + 1, pos + len), pos + len + 1
  end
  if c >= 0x90 and c <= 0x9f then return decode_array(s, pos + 1, c & 0xf, top) end
  if c <= 0x8f then return decode_map(s, pos + 1, c & 0xf, top) end
  if c == 0xc0 then return nil, pos + 1 end
  if c == 0xc2 then return false, pos + 1 end
  if c == 0xc3 then return true, pos + 1 end
  if c == 0xcc then return int_at(s, pos, 'B', 1) end
  if c == 0xcd then return int_at(s, pos, '>I2', 2) end
  if c == 0xce then return int_at(s, pos, '>I4', 4) end
  -- uint 64 goes through lua_pushinteger: above INT64_MAX it wraps to a negative number.
  if c == 0xcf or c == 0xd3 then return int_at(s, pos, '>i8', 8) end
  if c == 0xd0 then return int_at(s, pos, 'b', 1) end
  if c == 0xd1 then return int_at(s, pos, '>i2', 2) end
  if c == 0xd2 then return int_at(s, pos, '>i4', 4) end
  if c == 0xca then return int_at(s, pos, '>f', 4) end
  if c == 0xcb then return int_at(s, pos, '>d', 8) end
  if c == 0xd9 then return raw_at(s, pos, 'B', 1) end
  if c == 0xda then return raw_at(s, pos, '>I2', 2) end
  if c == 0xdb then return raw_at(s, pos, '>I4', 4) end
  if c == 0xdc then return container_at(s, pos, '>I2', 2, decode_array, top) end
  if c == 0xdd then return container_at(s, pos, '>I4', 4, decode_array, top) end
  if c == 0xde then return container_at(s, pos, '>I2', 2, decode_map, top) end
  if c == 0xdf then return container_at(s, pos, '>I4', 4, decode_map, top) end
  fail('Bad data format in input.')
end

-- Decodes up to 'limit' values from offset on; 'top' counts the C stack slots in use. Without
-- limit and offset it decodes everything; otherwise the next offset (-1 at the end) comes first.
local function unpack_full(s, limit, offset, top)
  local len = #s
  if offset < 0 or limit < 0 then
    fail(format('Invalid request to unpack with offset of %d and limit of %d.', int32(offset), int32(len)))
  elseif offset > len then
    fail(format('Start offset %d greater than input length %d.', int32(offset), int32(len)))
  end
  local decode_all = limit == 0 and offset == 0
  if decode_all then limit = INT_MAX end
  local results, cnt, pos = {}, 0, offset + 1
  while pos <= len and cnt < limit do
    results[cnt + 1], pos = decode_value(s, pos, top + cnt)
    cnt = cnt + 1
  end
  if decode_all then return tunpack(results, 1, cnt) end
  checkstack(top + cnt, 1, 'in function mp_unpack_full')
  return (pos > len and -1 or pos - 1), tunpack(results, 1, cnt)
end

local function unpack(...)
  local args = tpack(...)
  return unpack_full(checklstring(args, 1), 0, 0, args.n)
end

local function unpack_one(...)
  local args = tpack(...)
  local offset = optinteger(args, 2, 0)
  return unpack_full(checklstring(args, 1), 1, offset, 1)
end

local function unpack_limit(...)
  local args = tpack(...)
  local limit = checkinteger(args, 2)
  local offset = optinteger(args, 3, 0)
  return unpack_full(checklstring(args, 1), limit, offset, 1)
end

return {
  pack = api('pack', pack),
  unpack = api('unpack', unpack),
  unpack_one = api('unpack_one', unpack_one),
  unpack_limit = api('unpack_limit', unpack_limit),
  _NAME = 'cmsgpack',
  _VERSION = 'lua-cmsgpack 0.4.0',
  _COPYRIGHT = 'Copyright (C) 2012, Salvatore Sanfilippo',
  _DESCRIPTION = 'MessagePack C implementation for Lua',
}
