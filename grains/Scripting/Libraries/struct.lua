-- struct: lua-struct 0.2 as Redis 7.0 ships it (lua_struct.c with Redis's CVE fixes), in Lua 5.4.
-- Loaded once per lua_State; returns the library table. Behaviour follows the C code on x86-64
-- Linux, Redis's platform: little endian, long and size_t of 8 bytes, Lua 5.1 numbers (doubles)
-- and a C stack of 8000 slots (LUAI_MAXCSTACK).

local byte, char, sub, find, format, spack, sunpack, rep =
  string.byte, string.char, string.sub, string.find, string.format, string.pack, string.unpack, string.rep
local concat, tpack, tunpack = table.concat, table.pack, table.unpack
local mtype, floor, ceil, ult, mininteger = math.type, math.floor, math.ceil, math.ult, math.mininteger
local type, tonumber = type, tonumber

local MAXCSTACK = 8000
local MAXINTSIZE = 32
local MAXALIGN = 8
local INT_MAX = 0x7fffffff

local natives = ...
local support = natives.support
local fail, argfail, api, num51, typename, optinteger, checklstring =
  support.fail, support.argfail, support.api, support.num51, support.typename, support.optinteger,
  support.checklstring

-- Lua 5.1 values ------------------------------------------------------------------------------

-- luaL_checknumber: a number or a numeric string, as a double.
local function tonumber51(v)
  if mtype(v) then return v * 1.0 end
  if type(v) == 'string' then
    local n = tonumber(v)
    if n then return n * 1.0 end
  end
end

local function checknumber(args, i)
  local d = tonumber51(args[i])
  if not d then argfail(i, 'number expected, got ' .. typename(args, i)) end
  return d
end

-- C's double to int64 conversion on x86-64: out of range and NaN give INT64_MIN.
local function toint64(d)
  if d >= -0x1p63 and d < 0x1p63 then
    return d >= 0 and floor(d) or ceil(d)
  end
  return mininteger
end

-- C's double to uint64 conversion as GCC emits it on x86-64, as an int64 bit pattern.
local function touint64(d)
  if d ~= d or d < 0x1p63 then return toint64(d) end
  if d < 0x1p64 then return toint64(d - 0x1p63) | mininteger end
  return 0
end

-- Unsigned 64-bit integer (as a bit pattern) to double, rounded once as C does.
local function u64tonumber(l)
  if l >= 0 then return l * 1.0 end
  return (l >> 32) * 0x1p32 + (l & 0xffffffff)
end

-- Format parsing ------------------------------------------------------------------------------

local function isdigit(c) return c and c >= 48 and c <= 57 end

-- Reads the number at fmt[i] (or gives df); returns it and the index after it.
local function getnum(fmt, i, df)
  local c = byte(fmt, i)
  if not isdigit(c) then return df, i end
  local a = 0
  repeat
    if a > INT_MAX // 10 or a * 10 > INT_MAX - (c - 48) then fail('integral size overflow') end
    a = a * 10 + c - 48
    i = i + 1
    c = byte(fmt, i)
  until not isdigit(c)
  return a, i
end

local OPT_SIZE = {
  [66] = 1, [98] = 1,   -- B b
  [72] = 2, [104] = 2,  -- H h
  [76] = 8, [108] = 8,  -- L l
  [84] = 8,             -- T
  [102] = 4, [100] = 8, -- f d
  [120] = 1,            -- x
}

local function optsize(opt, fmt, i)
  if opt == 99 then return getnum(fmt, i, 1) end -- c
  if opt == 105 or opt == 73 then                -- i I
    local sz
    sz, i = getnum(fmt, i, 4)
    if sz > MAXINTSIZE then fail(format('integral size %d is larger than limit of %d', sz, MAXINTSIZE)) end
    return sz, i
  end
  return OPT_SIZE[opt] or 0, i
end

local function gettoalign(len, align, opt, size)
  if size == 0 or opt == 99 then return 0 end
  if size > align then size = align end
  return (size - (len & (size - 1))) & (size - 1)
end

-- Endianness and alignment options; anything else is an invalid option. Returns the new
-- endianness, alignment and format index.
local function controloptions(opt, fmt, i, little, align)
  if opt == 32 then return little, align, i end
  if opt == 62 then return false, align, i end -- >
  if opt == 60 then return true, align, i end  -- <
  if opt == 33 then                            -- !
    local a
    a, i = getnum(fmt, i, MAXALIGN)
    if not (a > 0 and a & (a - 1) == 0) then fail(format('alignment %d is not a power of 2', a)) end
    return little, a, i
  end
  argfail(1, "invalid format option '" .. char(opt) .. "'")
end

local function isintopt(opt)
  return opt == 98 or opt == 66 or opt == 104 or opt == 72 or opt == 108 or opt == 76
    or opt == 84 or opt == 105 or opt == 73
end

-- The format as C sees it: up to its first NUL.
local function cformat(fmt)
  local z = find(fmt, '\0', 1, true)
  return z and sub(fmt, 1, z - 1) or fmt
end

-- struct.pack -----------------------------------------------------------------------------------

local function putinteger(n, little, size)
  local value = touint64(n)
  local bytes = {}
  for k = 1, size do
    bytes[little and k or size - k + 1] = value & 0xff
    value = value >> 8
  end
  return char(tunpack(bytes, 1, size))
end

local function pack(...)
  local args = tpack(...)
  local fmt = cformat(checklstring(args, 1))
  -- lua_struct.c pushes a nil after the arguments: the first missing one reads as nil.
  args.n = args.n + 1
  local out = {}
  local little, align = true, 1
  local arg, totalsize, i = 2, 0, 1
  while i <= #fmt do
    local opt = byte(fmt, i)
    local size
    size, i = optsize(opt, fmt, i + 1)
    local toalign = gettoalign(totalsize, align, opt, size)
    totalsize = totalsize + toalign
    if toalign > 0 then out[#out + 1] = rep('\0', toalign) end
    if isintopt(opt) then
      out[#out + 1] = putinteger(checknumber(args, arg), little, size)
      arg = arg + 1
    elseif opt == 120 then -- x
      out[#out + 1] = '\0'
    elseif opt == 102 or opt == 100 then -- f d
      out[#out + 1] = spack((little and '<' or '>') .. char(opt), checknumber(args, arg))
      arg = arg + 1
    elseif opt == 99 or opt == 115 then -- c s
      local s = checklstring(args, arg)
      arg = arg + 1
      if size == 0 then size = #s end
      -- lua_struct.c reports the argument after the string here.
      if #s < size then argfail(arg, 'string too short') end
      out[#out + 1] = sub(s, 1, size)
      if opt == 115 then
        out[#out + 1] = '\0'
        size = size + 1
      end
    else
      little, align, i = controloptions(opt, fmt, i, little, align)
    end
    totalsize = totalsize + size
  end
  return concat(out)
end

-- struct.unpack ---------------------------------------------------------------------------------

local function getinteger(data, at, little, issigned, size)
  local l = 0
  for k = 1, size do
    l = (l << 8) | byte(data, at + (little and size - k or k - 1))
  end
  if not issigned then return u64tonumber(l) end
  local mask = -1 << ((size * 8 - 1) & 63) -- x86 masks the shift count
  if l & mask ~= 0 then l = l | mask end
  return l * 1.0
end

local function unpack(...)
  local args = tpack(...)
  local fmt = cformat(checklstring(args, 1))
  local data = checklstring(args, 2)
  local ld = #data
  -- pos is a size_t: negative offsets wrap around and then fail the bounds checks.
  local pos = optinteger(args, 3, 1)
  if pos == 0 then argfail(3, 'offset must be 1 or greater') end
  pos = pos - 1
  local results, n = {}, 0
  local little, align, i = true, 1, 1
  while i <= #fmt do
    local opt = byte(fmt, i)
    local size
    size, i = optsize(opt, fmt, i + 1)
    pos = pos + gettoalign(pos, align, opt, size)
    if ult(ld, size) or ult(ld - size, pos) then argfail(2, 'data string too short') end
    if args.n + n + 2 > MAXCSTACK then fail('stack overflow (too many results)') end
    local at = pos + 1
    if isintopt(opt) then
      n = n + 1
      results[n] = num51(getinteger(data, at, little, opt >= 97, size))
    elseif opt == 102 or opt == 100 then -- f d
      n = n + 1
      results[n] = num51(sunpack((little and '<' or '>') .. char(opt), data, at))
    elseif opt == 99 then -- c
      if size == 0 then
        local previous = n > 0 and tonumber51(results[n])
        if not previous then fail("format 'c0' needs a previous size") end
        size = touint64(previous)
        results[n] = nil
        n = n - 1
        if ult(ld, size) or ult(ld - size, pos) then argfail(2, 'data string too short') end
      end
      n = n + 1
      results[n] = sub(data, at, pos + size)
    elseif opt == 115 then -- s
      local e = find(data, '\0', at, true)
      if not e then fail('unfinished string in data') end
      size = e - pos
      n = n + 1
      results[n] = sub(data, at, e - 1)
    elseif opt ~= 120 then
      little, align, i = controloptions(opt, fmt, i, little, align)
    end
    pos = pos + size
  end
  results[n + 1] = num51(pos + 1.0)
  return tunpack(results, 1, n + 1)
end

-- struct.size -----------------------------------------------------------------------------------

local function isalnum(c)
  return (c >= 48 and c <= 57) or (c >= 65 and c <= 90) or (c >= 97 and c <= 122)
end

local function size(...)
  local args = tpack(...)
  local fmt = cformat(checklstring(args, 1))
  local little, align = true, 1
  local pos, i = 0, 1
  while i <= #fmt do
    local opt = byte(fmt, i)
    local sz
    sz, i = optsize(opt, fmt, i + 1)
    pos = pos + gettoalign(pos, align, opt, sz)
    if opt == 115 then
      argfail(1, "option 's' has no fixed size")
    elseif opt == 99 and sz == 0 then
      argfail(1, "option 'c0' has no fixed size")
    end
    if not isalnum(opt) then little, align, i = controloptions(opt, fmt, i, little, align) end
    pos = pos + sz
  end
  return num51(pos * 1.0)
end

return {
  pack = api('pack', pack),
  unpack = api('unpack', unpack),
  size = api('size', size),
}
