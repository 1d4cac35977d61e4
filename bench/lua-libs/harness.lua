-- Runs EVAL-style scripts under plain lua5.4 with OrleansLua's Prelude.lua and the three library
-- chunks, and prints each reply as raw RESP, the way ScriptHost/LuaResultConverter write it.
-- Input (stdin): records "<sha> <length>\n<script>"; output: "<length>\n<reply>" per record.
-- Only for checking the libraries quickly: redis.call is not available here, and cjson.null is a
-- full userdata stand-in (plain Lua cannot make the NULL lightuserdata the engine hands in).
local root = arg[1] or '.'

local function read(path)
  local f = assert(io.open(root .. path, 'rb'))
  local text = f:read('a')
  f:close()
  return text
end

__ol_call = function() error('redis.call is not available in the harness', 0) end
__ol_sha1hex = function() return '' end
__ol_log = function() end
__ol_check = function() end
__ol_setresp = function() end
__ol_natives = { null = io.stdout }
__ol_libraries = {}
for _, name in ipairs({ 'cjson', 'cmsgpack', 'struct' }) do
  __ol_libraries[name] = read('/grains/Scripting/Libraries/' .. name .. '.lua')
end
local prelude = assert(load(read('/grains/Scripting/Prelude.lua'), '=prelude', 't'))()

local function integer(v)
  if math.type(v) == 'integer' then return v end
  if v ~= v or v >= 0x1p63 or v < -0x1p63 then return math.mininteger end
  return math.tointeger(v >= 0 and math.floor(v) or math.ceil(v))
end

local function write(v, out)
  local t = type(v)
  if t == 'number' then
    out[#out + 1] = ':' .. integer(v) .. '\r\n'
  elseif t == 'string' then
    out[#out + 1] = '$' .. #v .. '\r\n' .. v .. '\r\n'
  elseif t == 'boolean' then
    out[#out + 1] = v and ':1\r\n' or '$-1\r\n'
  elseif t == 'table' then
    if type(rawget(v, 'err')) == 'string' then out[#out + 1] = '-' .. v.err .. '\r\n' return end
    if type(rawget(v, 'ok')) == 'string' then out[#out + 1] = '+' .. v.ok .. '\r\n' return end
    local n = 0
    while rawget(v, n + 1) ~= nil do n = n + 1 end
    out[#out + 1] = '*' .. n .. '\r\n'
    for i = 1, n do write(rawget(v, i), out) end
  else
    out[#out + 1] = '$-1\r\n'
  end
end

while true do
  local header = io.read('l')
  if not header then break end
  local sha, len = header:match('^(%x+) (%d+)$')
  local script = io.read(tonumber(len))
  local reply
  local f, message = prelude.compile(script)
  if not f then
    reply = '-ERR Error compiling script (new function): ' .. message .. '\r\n'
  else
    local ok, result = xpcall(f, prelude.on_error)
    if ok then
      local out = {}
      write(result, out)
      reply = table.concat(out)
    else
      reply = string.format('-%s%s script: %s, on @user_script:%d.\r\n',
        result.coded and '' or 'ERR ', result.err, sha, result.line)
    end
  end
  io.write(#reply, '\n', reply)
  io.flush()
end
