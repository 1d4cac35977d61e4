-- cjson: lua-cjson 2.1.0 as Redis 7.0 ships it (lua_cjson.c with Redis's patches, built for
-- Lua 5.1), in Lua 5.4. Loaded once per lua_State with the engine's natives ('natives.null' is the
-- NULL lightuserdata that stands for JSON null); returns the library table. Behaviour follows the
-- C code on x86-64 Linux: Lua 5.1 numbers (doubles), glibc's strtod and printf, and a C stack of
-- 8000 slots (LUAI_MAXCSTACK), which bounds nesting before the configured depths do.

local natives = ...
local null = natives.null

local byte, sub, find, match, gsub, lower, format =
  string.byte, string.sub, string.find, string.match, string.gsub, string.lower, string.format
local concat, tpack = table.concat, table.pack
local mtype, floor, huge = math.type, math.floor, math.huge
local utf8char = utf8.char
local type, tonumber, select, next, rawget, ipairs = type, tonumber, select, next, rawget, ipairs

local MAXCSTACK = 8000
local INT_MAX = 0x7fffffff

-- glibc's strtod gives these for "nan" and "-nan".
local NAN = string.unpack('<d', '\0\0\0\0\0\0\248\127')
local NEGATIVE_NAN = string.unpack('<d', '\0\0\0\0\0\0\248\255')

local support = natives.support
local fail, argfail, api, num51, checklstring, checkinteger, int32 =
  support.fail, support.argfail, support.api, support.num51, support.checklstring, support.checkinteger,
  support.int32

-- luaL_checkinteger, stored into a C int as lua_cjson.c does.
local function checkint(args, i) return int32(checkinteger(args, i)) end

-- Configuration -------------------------------------------------------------------------------

local BOOL_OPTIONS = { 'off', 'on' }
local INVALID_NUMBER_OPTIONS = { 'off', 'on', 'null' }

local function arg_init(args, n)
  if args.n > n then argfail(n + 1, 'found too many arguments') end
end

local function integer_option(cfg, args, i, key, min, max)
  if args[i] ~= nil then
    local value = checkint(args, i)
    -- lua_cjson.c blames argument 1 whichever argument is out of range.
    if value < min or value > max then argfail(1, format('expected integer between %d and %d', min, max)) end
    cfg[key] = value
  end
  return cfg[key]
end

-- A boolean or one of 'options' (stored as its 0-based index); answers false/true for 0/1.
local function enum_option(cfg, args, i, key, options)
  local v = args[i]
  if type(v) == 'boolean' then
    cfg[key] = v and 1 or 0
  elseif v ~= nil then
    local name = checklstring(args, i)
    local found
    for index, option in ipairs(options) do
      if option == name then found = index - 1 end
    end
    if not found then argfail(i, "invalid option '" .. name .. "'") end
    cfg[key] = found
  end
  local setting = cfg[key]
  if setting <= 1 then return setting == 1 end
  return options[setting + 1]
end

-- Encoding --------------------------------------------------------------------------------------

local ESCAPES = { ['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b', ['\t'] = '\\t',
  ['\n'] = '\\n', ['\f'] = '\\f', ['\r'] = '\\r', ['\127'] = '\\u007f' }
for c = 0, 31 do
  ESCAPES[string.char(c)] = ESCAPES[string.char(c)] or format('\\u%04x', c)
end

local function quote(s)
  if not find(s, '[%c"\\/]') then return '"' .. s .. '"' end
  return '"' .. gsub(s, '[%c"\\/]', ESCAPES) .. '"'
end

local function number_text(cfg, n)
  local d = n * 1.0
  local invalid = d ~= d or d == huge or d == -huge
  if cfg.encode_invalid_numbers == 0 then
    if invalid then fail('Cannot serialise number: must not be NaN or Inf') end
  elseif cfg.encode_invalid_numbers == 1 then
    if d ~= d then return 'nan' end
  elseif invalid then
    return 'null'
  end
  return format(cfg.number_format, d)
end

-- Largest index if the table is an array (keys are numbers >= 1 with integral values), -1 if it
-- is not. 'max' is a C int: indexes past INT_MAX turn it negative, and the table an object.
local function array_length(cfg, t)
  local max, items = 0, 0
  for k in next, t do
    local d = mtype(k) and k * 1.0
    if not (d and d >= 1 and floor(d) == d) then return -1 end
    if d > max then max = d < 0x1p31 and floor(d) or -0x80000000 end
    items = items + 1
  end
  if cfg.encode_sparse_ratio > 0 and max > int32(items * cfg.encode_sparse_ratio) and max > cfg.encode_sparse_safe then
    if cfg.encode_sparse_convert == 0 then fail('Cannot serialise table: excessively sparse array') end
    return -1
  end
  return max
end

local append_value

-- 'top' counts the C stack slots in use, the table being the topmost.
local function append_table(cfg, out, t, depth, top)
  depth = depth + 1
  if depth > cfg.encode_max_depth or top + 3 > MAXCSTACK then
    fail(format('Cannot serialise, excessive nesting (%d)', depth))
  end
  local len = array_length(cfg, t)
  if len > 0 then
    out[#out + 1] = '['
    for i = 1, len do
      if i > 1 then out[#out + 1] = ',' end
      append_value(cfg, out, rawget(t, i), depth, top + 1)
    end
    out[#out + 1] = ']'
    return
  end
  out[#out + 1] = '{'
  local comma = false
  for k, v in next, t do
    if comma then out[#out + 1] = ',' end
    comma = true
    if mtype(k) then
      out[#out + 1] = '"' .. number_text(cfg, k) .. '":'
    elseif type(k) == 'string' then
      out[#out + 1] = quote(k) .. ':'
    else
      fail('Cannot serialise ' .. type(k) .. ': table key must be a number or string')
    end
    append_value(cfg, out, v, depth, top + 2)
  end
  out[#out + 1] = '}'
end

append_value = function(cfg, out, v, depth, top)
  local t = type(v)
  if t == 'string' then out[#out + 1] = quote(v)
  elseif t == 'number' then out[#out + 1] = number_text(cfg, v)
  elseif t == 'boolean' then out[#out + 1] = v and 'true' or 'false'
  elseif t == 'table' then append_table(cfg, out, v, depth, top)
  elseif v == nil or v == null then out[#out + 1] = 'null'
  else fail('Cannot serialise ' .. t .. ': type not supported') end
end

-- Decoding --------------------------------------------------------------------------------------
-- A recursive descent parser over the C string: a NUL byte, like the end of the data, is T_END.
-- Tokens are (type, index, value): index is 0-based; T_ERROR tokens carry their message as value.

local SINGLE_TOKENS = { [123] = 'T_OBJ_BEGIN', [125] = 'T_OBJ_END', [91] = 'T_ARR_BEGIN',
  [93] = 'T_ARR_END', [44] = 'T_COMMA', [58] = 'T_COLON' }
local WHITESPACE = { [32] = true, [9] = true, [10] = true, [13] = true }
-- Characters that may start a string, number, true, false or null.
local VALUE_START = { [34] = true, [43] = true, [45] = true, [73] = true, [78] = true,
  [102] = true, [105] = true, [110] = true, [116] = true }
for c = 48, 57 do VALUE_START[c] = true end
local UNESCAPES = { [34] = '"', [92] = '\\', [47] = '/', [98] = '\b', [116] = '\t', [110] = '\n',
  [102] = '\f', [114] = '\r' }

-- glibc's strtod at s[p]: returns the double and the index after it, or nothing.
local function strtod(s, p)
  local c = byte(s, p)
  local negative = c == 45
  if negative or c == 43 then
    p = p + 1
    c = byte(s, p)
  end
  local value, stop
  if c == 105 or c == 73 or c == 110 or c == 78 then -- i I n N
    local word = lower(sub(s, p, p + 7))
    if sub(word, 1, 3) == 'inf' then
      value, stop = huge, p + (word == 'infinity' and 8 or 3)
    elseif sub(word, 1, 3) == 'nan' then
      value, stop = NAN, match(s, '^%([%w_]*%)()', p + 3) or p + 3
    else
      return
    end
  else
    local mantissa = c == 48 and match(s, '^0[xX](%x*%.?%x*)', p)
    if mantissa and find(mantissa, '%x') then
      local exponent = match(s, '^[pP][-+]?%d+', p + 2 + #mantissa) or ''
      stop = p + 2 + #mantissa + #exponent
      value = tonumber('0x' .. mantissa .. (exponent == '' and 'p0' or exponent))
    else
      local mantissa_end = match(s, '^%d*%.?%d*()', p)
      if mantissa_end == p or (mantissa_end == p + 1 and c == 46) then return end
      stop = match(s, '^[eE][-+]?%d+()', mantissa_end) or mantissa_end
      value = tonumber(sub(s, p, stop - 1)) * 1.0
    end
  end
  if negative then value = value ~= value and NEGATIVE_NAN or -value end
  return value, stop
end

-- lua_cjson.c's test for numbers that strtod takes but JSON does not: a leading '+', hex, leading
-- zeros, inf and nan. Bytes past 127 are negative chars in C, hence "<= '9'".
local function is_invalid_number(s, p)
  local c = byte(s, p) or 0
  if c == 43 then return true end
  if c == 45 then
    p = p + 1
    c = byte(s, p) or 0
  end
  if c == 48 then
    local c2 = byte(s, p + 1) or 0
    return (c2 | 0x20) == 120 or (c2 >= 48 and c2 <= 57)
  end
  if c <= 57 or c >= 128 then return false end
  local word = lower(sub(s, p, p + 2))
  return word == 'inf' or word == 'nan'
end

local function hex4(s, i)
  local h = sub(s, i, i + 3)
  if #h == 4 and not find(h, '%X') then return tonumber(h, 16) end
end

-- The \u escape at s[i] (the backslash), surrogate pairs included: UTF-8 text and escape length.
local function unicode_escape(s, i)
  local cp = hex4(s, i + 2)
  if not cp then return end
  if cp & 0xF800 ~= 0xD800 then return utf8char(cp), 6 end
  if cp & 0x400 ~= 0 or sub(s, i + 6, i + 7) ~= '\\u' then return end
  local low = hex4(s, i + 8)
  if not low or low & 0xFC00 ~= 0xDC00 then return end
  return utf8char((((cp & 0x3FF) << 10) | (low & 0x3FF)) + 0x10000), 12
end

local function string_token(st, index)
  local s, i = st.s, st.pos + 1
  local j = find(s, '["\\\0]', i)
  if j and byte(s, j) == 34 then
    st.pos = j + 1
    return 'T_STRING', index, sub(s, i, j - 1)
  end
  local parts = {}
  while true do
    j = find(s, '["\\\0]', i)
    if not j then return 'T_ERROR', #s, 'unexpected end of string' end
    parts[#parts + 1] = sub(s, i, j - 1)
    local c = byte(s, j)
    if c == 34 then
      st.pos = j + 1
      return 'T_STRING', index, concat(parts)
    elseif c == 0 then
      return 'T_ERROR', j - 1, 'unexpected end of string'
    end
    local e = byte(s, j + 1) or 0
    if e == 117 then
      local text, len = unicode_escape(s, j)
      if not text then return 'T_ERROR', j - 1, 'invalid unicode escape code' end
      parts[#parts + 1] = text
      i = j + len
    else
      local text = UNESCAPES[e]
      if not text then return 'T_ERROR', j - 1, 'invalid escape code' end
      parts[#parts + 1] = text
      i = j + 2
    end
  end
end

local function number_token(st, index)
  local value, stop = strtod(st.s, st.pos)
  if not value then return 'T_ERROR', index, 'invalid number' end
  st.pos = stop
  return 'T_NUMBER', index, value
end

local function next_token(st)
  local s, pos = st.s, st.pos
  local c = byte(s, pos) or 0
  while WHITESPACE[c] do
    pos = pos + 1
    c = byte(s, pos) or 0
  end
  st.pos = pos
  local index = pos - 1
  local single = SINGLE_TOKENS[c]
  if single then
    st.pos = pos + 1
    return single, index
  end
  if c == 0 then return 'T_END', index end
  if not VALUE_START[c] then return 'T_ERROR', index, 'invalid token' end
  if c == 34 then return string_token(st, index) end
  local invalid_allowed = st.cfg.decode_invalid_numbers == 1
  if c == 45 or (c >= 48 and c <= 57) then
    if not invalid_allowed and is_invalid_number(s, pos) then return 'T_ERROR', index, 'invalid number' end
    return number_token(st, index)
  end
  if sub(s, pos, pos + 3) == 'true' then
    st.pos = pos + 4
    return 'T_BOOLEAN', index, true
  elseif sub(s, pos, pos + 4) == 'false' then
    st.pos = pos + 5
    return 'T_BOOLEAN', index, false
  elseif sub(s, pos, pos + 3) == 'null' then
    st.pos = pos + 4
    return 'T_NULL', index
  elseif invalid_allowed and is_invalid_number(s, pos) then
    return number_token(st, index)
  end
  return 'T_ERROR', index, 'invalid token'
end

local function parse_error(expected, ttype, index, value)
  local found = ttype == 'T_ERROR' and value or ttype
  fail(format('Expected %s but found %s at character %d', expected, found, index + 1))
end

-- Entering an object or array needs 'slots' free C stack slots above the 'top' in use.
local function descend(st, slots, top)
  st.depth = st.depth + 1
  if st.depth > st.cfg.decode_max_depth or top + slots > MAXCSTACK then
    fail(format('Found too many nested data structures (%d) at character %d', st.depth, st.pos - 1))
  end
end

local parse_value

local function parse_object(st, top)
  descend(st, 3, top)
  local t = {}
  local ttype, index, value = next_token(st)
  if ttype == 'T_OBJ_END' then
    st.depth = st.depth - 1
    return t
  end
  while true do
    if ttype ~= 'T_STRING' then parse_error('object key string', ttype, index, value) end
    local key = value
    ttype, index, value = next_token(st)
    if ttype ~= 'T_COLON' then parse_error('colon', ttype, index, value) end
    t[key] = parse_value(st, top + 2, next_token(st))
    ttype, index, value = next_token(st)
    if ttype == 'T_OBJ_END' then
      st.depth = st.depth - 1
      return t
    end
    if ttype ~= 'T_COMMA' then parse_error('comma or object end', ttype, index, value) end
    ttype, index, value = next_token(st)
  end
end

local function parse_array(st, top)
  descend(st, 2, top)
  local t = {}
  local ttype, index, value = next_token(st)
  if ttype == 'T_ARR_END' then
    st.depth = st.depth - 1
    return t
  end
  local i = 1
  while true do
    t[i] = parse_value(st, top + 1, ttype, index, value)
    ttype, index, value = next_token(st)
    if ttype == 'T_ARR_END' then
      st.depth = st.depth - 1
      return t
    end
    if ttype ~= 'T_COMMA' then parse_error('comma or array end', ttype, index, value) end
    ttype, index, value = next_token(st)
    i = i + 1
  end
end

-- 'top' counts the C stack slots in use before the value is pushed.
parse_value = function(st, top, ttype, index, value)
  if ttype == 'T_STRING' or ttype == 'T_BOOLEAN' then return value end
  if ttype == 'T_NUMBER' then return num51(value) end
  if ttype == 'T_NULL' then return null end
  if ttype == 'T_OBJ_BEGIN' then return parse_object(st, top) end
  if ttype == 'T_ARR_BEGIN' then return parse_array(st, top) end
  parse_error('value', ttype, index, value)
end

-- The module ----------------------------------------------------------------------------------

local function new()
  local cfg = {
    encode_sparse_convert = 0,
    encode_sparse_ratio = 2,
    encode_sparse_safe = 10,
    encode_max_depth = 1000,
    decode_max_depth = 1000,
    encode_invalid_numbers = 0,
    decode_invalid_numbers = 1,
    encode_keep_buffer = 1,
    encode_number_precision = 14,
    number_format = '%.14g',
  }

  local function encode(...)
    if select('#', ...) ~= 1 then argfail(1, 'expected 1 argument') end
    local out = {}
    append_value(cfg, out, (...), 0, 1)
    return concat(out)
  end

  local function decode(...)
    local args = tpack(...)
    if args.n ~= 1 then argfail(1, 'expected 1 argument') end
    local s = checklstring(args, 1)
    if #s >= 2 and (byte(s, 1) == 0 or byte(s, 2) == 0) then
      fail('JSON parser does not support UTF-16 or UTF-32')
    end
    local st = { s = s, pos = 1, depth = 0, cfg = cfg }
    local value = parse_value(st, 1, next_token(st))
    local ttype, index, found = next_token(st)
    if ttype ~= 'T_END' then parse_error('the end', ttype, index, found) end
    return value
  end

  local function encode_sparse_array(...)
    local args = tpack(...)
    arg_init(args, 3)
    return enum_option(cfg, args, 1, 'encode_sparse_convert', BOOL_OPTIONS),
      integer_option(cfg, args, 2, 'encode_sparse_ratio', 0, INT_MAX),
      integer_option(cfg, args, 3, 'encode_sparse_safe', 0, INT_MAX)
  end

  local function encode_max_depth(...)
    local args = tpack(...)
    arg_init(args, 1)
    return integer_option(cfg, args, 1, 'encode_max_depth', 1, INT_MAX)
  end

  local function decode_max_depth(...)
    local args = tpack(...)
    arg_init(args, 1)
    return integer_option(cfg, args, 1, 'decode_max_depth', 1, INT_MAX)
  end

  local function encode_number_precision(...)
    local args = tpack(...)
    arg_init(args, 1)
    local precision = integer_option(cfg, args, 1, 'encode_number_precision', 1, 14)
    cfg.number_format = '%.' .. precision .. 'g'
    return precision
  end

  local function encode_keep_buffer(...)
    local args = tpack(...)
    arg_init(args, 1)
    return enum_option(cfg, args, 1, 'encode_keep_buffer', BOOL_OPTIONS)
  end

  local function encode_invalid_numbers(...)
    local args = tpack(...)
    arg_init(args, 1)
    return enum_option(cfg, args, 1, 'encode_invalid_numbers', INVALID_NUMBER_OPTIONS)
  end

  local function decode_invalid_numbers(...)
    local args = tpack(...)
    arg_init(args, 1)
    return enum_option(cfg, args, 1, 'decode_invalid_numbers', BOOL_OPTIONS)
  end

  return {
    encode = api('encode', encode),
    decode = api('decode', decode),
    encode_sparse_array = api('encode_sparse_array', encode_sparse_array),
    encode_max_depth = api('encode_max_depth', encode_max_depth),
    decode_max_depth = api('decode_max_depth', decode_max_depth),
    encode_number_precision = api('encode_number_precision', encode_number_precision),
    encode_keep_buffer = api('encode_keep_buffer', encode_keep_buffer),
    encode_invalid_numbers = api('encode_invalid_numbers', encode_invalid_numbers),
    decode_invalid_numbers = api('decode_invalid_numbers', decode_invalid_numbers),
    new = api('new', new),
    null = null,
    _NAME = 'cjson',
    _VERSION = '2.1.0',
  }
end

return new()
