-- OrleansLua script environment, run once per lua_State (Lua 5.4) before any user script.
-- Builds Redis 7's scripting world: the redis.* API, Lua 5.1 shims, the bit library and a
-- sandbox whose globals are read-only. C# hands in its callbacks as globals __ol_*; they are
-- captured here and removed. Returns the handles C# keeps: compile, run, globals, scripts.

local core_call, core_sha1hex, core_log, core_check, core_setresp = __ol_call, __ol_sha1hex, __ol_log, __ol_check, __ol_setresp
local core_acl_check = __ol_acl_check
local natives, library_sources, library_support = __ol_natives, __ol_libraries, __ol_library_support
__ol_call, __ol_sha1hex, __ol_log, __ol_check, __ol_setresp, __ol_acl_check, __ol_natives, __ol_libraries, __ol_library_support =
  nil, nil, nil, nil, nil, nil, nil, nil, nil

local real_error, real_pcall, real_tostring, real_load = error, pcall, tostring, load
local getinfo, sformat, mtype, floor, tointeger = debug.getinfo, string.format, math.type, math.floor, math.tointeger
local setmetatable, getmetatable, type, select, rawset = setmetatable, getmetatable, type, select, rawset

local readonly_tables = setmetatable({}, { __mode = 'k' })
local function readonly_error() real_error('Attempt to modify a readonly table', 2) end
local function readonly(t)
  local proxy = setmetatable({}, { __index = t, __newindex = readonly_error, __metatable = false })
  readonly_tables[proxy] = true
  return proxy
end

-- Time limit and SCRIPT KILL ------------------------------------------------------------------
-- A count hook asks C# whether the script must stop (killed, or past the hard time limit). Once
-- it must, the hook fires on every line and raises again, so pcall cannot swallow the stop; the
-- pcall/xpcall/coroutine wrappers below re-raise it too.

local sethook = debug.sethook
local stop_error = nil
local on_error -- the run's message handler, defined below; the stop hook must not fire inside it
local function stop_hook()
  local info = getinfo(2, 'f')
  if info and info.func == on_error then return end
  real_error(stop_error, 0)
end
local function count_hook()
  local message = core_check()
  if message then
    stop_error = { err = message, stop = true }
    sethook(stop_hook, 'l', 1)
    real_error(stop_error, 0)
  end
end
local function is_stop(e) return e ~= nil and e == stop_error end

-- Lua 5.1 behaviour that Redis scripts rely on ------------------------------------------------

local function error51(message, level)
  if type(message) == 'number' then message = real_tostring(message) end
  level = level or 1
  if level > 0 then level = level + 1 end
  return real_error(message, level)
end

-- Lua 5.1 printed every number with %.14g: 10/2 is "5", not 5.4's "5.0".
local function tostring51(v)
  if mtype(v) == 'float' then return sformat('%.14g', v) end
  return real_tostring(v)
end

-- Redis's pcall hands the message of a redis.call error (an {err=...} table) to the script as a string.
local function pcall_result(ok, ...)
  if ok then return ok, ... end
  local e = ...
  if is_stop(e) then real_error(e, 0) end
  if type(e) == 'table' and e.err ~= nil then return false, e.err end
  return false, e
end
local function pcall51(f, ...) return pcall_result(real_pcall(f, ...)) end

local real_xpcall = xpcall
local function xpcall_result(ok, ...)
  if not ok and is_stop(stop_error) then real_error(stop_error, 0) end
  return ok, ...
end
local function xpcall51(f, handler, ...) return xpcall_result(real_xpcall(f, handler, ...)) end

-- Hooks are per Lua thread: every coroutine a script creates gets the time-limit hook too.
local coroutine51 = {}
for k, v in pairs(coroutine) do coroutine51[k] = v end
local real_create, real_resume = coroutine.create, coroutine.resume
coroutine51.create = function(f)
  local co = real_create(f)
  sethook(co, count_hook, '', 100000)
  return co
end
local function resume_result(ok, ...)
  if not ok and is_stop((...)) then real_error((...), 0) end
  return ok, ...
end
coroutine51.resume = function(co, ...) return resume_result(real_resume(co, ...)) end
coroutine51.wrap = function(f)
  local co = coroutine51.create(f)
  return function(...)
    local function unwrap(ok, ...)
      if not ok then real_error((...), 0) end
      return ...
    end
    return unwrap(real_resume(co, ...))
  end
end

-- Redis's patched Lua raises this from rawset and setmetatable on a readonly table, without a position.
local function rawset_checked(t, k, v)
  if readonly_tables[t] then real_error('Attempt to modify a readonly table', 0) end
  return rawset(t, k, v)
end
local function setmetatable_checked(t, mt)
  if readonly_tables[t] then real_error('Attempt to modify a readonly table', 0) end
  return setmetatable(t, mt)
end

local function nonexistent_global(_, name)
  real_error("Script attempted to access nonexistent global variable '" .. real_tostring(name) .. "'", 2)
end

-- getmetatable(_G) is, as in Redis, a readonly table whose __index raises for unknown globals
-- (the real one would hand out the writable globals); Redis's other readonly tables have none.
local globals = {}
local env_mt = { __index = globals, __newindex = readonly_error, __metatable = readonly({ __index = nonexistent_global }) }
local env = setmetatable({}, env_mt)
readonly_tables[env] = true
local function getmetatable_checked(t)
  if readonly_tables[t] and t ~= env then return nil end
  return getmetatable(t)
end

local function loadstring51(code, name)
  if type(code) ~= 'string' then real_error("bad argument #1 to 'loadstring' (string expected, got " .. type(code) .. ')', 2) end
  return real_load(code, name or code, 't', env)
end
local function load51(f, name)
  if type(f) ~= 'function' then real_error("bad argument #1 to 'load' (function expected, got " .. type(f) .. ')', 2) end
  return real_load(f, name or '=(load)', 't', env)
end

local function collectgarbage51(opt, arg)
  opt = opt or 'collect'
  if opt == 'collect' or opt == 'count' or opt == 'step' then return collectgarbage(opt, arg) end
  return 0
end

local table51 = {}
for k, v in pairs(table) do table51[k] = v end
table51.getn = function(t) return #t end
table51.setn = function() end
table51.maxn = function(t)
  local n = 0
  for k in pairs(t) do if type(k) == 'number' and k > n then n = k end end
  return n
end

local math51 = {}
for k, v in pairs(math) do math51[k] = v end
math51.mod = math.fmod
math51.pow = function(a, b) return a ^ b end
math51.ldexp = function(m, e) return m * 2.0 ^ e end
math51.frexp = function(x)
  if x == 0 then return 0.0, 0 end
  local e = floor(math.log(math.abs(x), 2)) + 1
  local m = x / 2.0 ^ e
  if math.abs(m) >= 1 then m, e = m / 2, e + 1 end
  return m, e
end
math51.log10 = function(x) return math.log(x, 10) end

local string51 = {}
for k, v in pairs(string) do string51[k] = v end
string51.gfind = string.gmatch

-- bit: LuaBitOp semantics (32-bit, signed results) ------------------------------------------

local function tobit(x)
  local i = tointeger(x)
  if not i then
    if x >= 0 then i = floor(x + 0.5) else i = -floor(-x + 0.5) end
    i = tointeger(i) or 0
  end
  i = i & 0xFFFFFFFF
  if i >= 0x80000000 then i = i - 0x100000000 end
  return i
end
local function fold(op)
  return function(a, ...)
    local r = tobit(a)
    for i = 1, select('#', ...) do r = op(r, tobit((select(i, ...)))) end
    return tobit(r)
  end
end
local bit = {
  tobit = tobit,
  bnot = function(x) return tobit(~tobit(x)) end,
  band = fold(function(a, b) return a & b end),
  bor = fold(function(a, b) return a | b end),
  bxor = fold(function(a, b) return a ~ b end),
  lshift = function(x, n) return tobit(tobit(x) << (tobit(n) & 31)) end,
  rshift = function(x, n) return tobit((tobit(x) & 0xFFFFFFFF) >> (tobit(n) & 31)) end,
  arshift = function(x, n) return tobit(floor(tobit(x) / (1 << (tobit(n) & 31)))) end,
  rol = function(x, n)
    local u, s = tobit(x) & 0xFFFFFFFF, tobit(n) & 31
    return tobit(((u << s) | (u >> (32 - s))) & 0xFFFFFFFF)
  end,
  ror = function(x, n)
    local u, s = tobit(x) & 0xFFFFFFFF, tobit(n) & 31
    return tobit(((u >> s) | (u << (32 - s))) & 0xFFFFFFFF)
  end,
  bswap = function(x)
    local u = tobit(x) & 0xFFFFFFFF
    return tobit(((u & 0xFF) << 24) | ((u & 0xFF00) << 8) | ((u >> 8) & 0xFF00) | (u >> 24))
  end,
  tohex = function(x, n)
    n = n and tobit(n) or 8
    local upper = n < 0
    if upper then n = -n end
    if n > 8 then n = 8 end
    local s = sformat(upper and '%08X' or '%08x', tobit(x) & 0xFFFFFFFF)
    return s:sub(9 - n)
  end,
}

-- redis.* ---------------------------------------------------------------------------------

local redis = {
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REPL_NONE = 0, REPL_AOF = 1, REPL_SLAVE = 2, REPL_REPLICA = 2, REPL_ALL = 3,
  REDIS_VERSION = '7.2.4', REDIS_VERSION_NUM = 0x070204,
}
redis.call = function(...)
  local reply, failed = core_call(...)
  if failed then real_error(reply, 0) end
  return reply
end
redis.pcall = function(...)
  local reply = core_call(...)
  return reply
end
redis.error_reply = function(e)
  if type(e) ~= 'string' then real_error('wrong number or type of arguments', 2) end
  if e:sub(1, 1) == '-' then e = e:sub(2) end
  if not e:find(' ', 1, true) then e = 'ERR ' .. e end
  return { err = e }
end
redis.status_reply = function(s)
  if type(s) ~= 'string' then real_error('wrong number or type of arguments', 2) end
  return { ok = s }
end
redis.sha1hex = function(s)
  if type(s) ~= 'string' and type(s) ~= 'number' then real_error('wrong number of arguments', 2) end
  return core_sha1hex(tostring51(s))
end
redis.log = function(level, ...)
  if select('#', ...) == 0 then real_error('redis.log() requires two arguments or more.', 2) end
  if mtype(level) == nil then real_error('First argument must be a number (log level).', 2) end
  local parts = {}
  for i = 1, select('#', ...) do parts[i] = tostring51((select(i, ...))) end
  core_log(level, table.concat(parts, ' '))
end
redis.setresp = function(v)
  if v ~= 2 and v ~= 3 then real_error({ err = 'ERR RESP version must be 2 or 3.' }, 0) end
  core_setresp(v)
end
redis.acl_check_cmd = function(...)
  local allowed, failed = core_acl_check(...)
  if failed then real_error(allowed, 0) end
  return allowed
end
redis.set_repl = function() end
redis.replicate_commands = function() return true end
redis.breakpoint = function() return false end
redis.debug = function() end

-- the sandbox -----------------------------------------------------------------------------

local allowed = {
  'assert', 'ipairs', 'next', 'pairs', 'rawequal', 'rawget', 'rawlen', 'select', 'tonumber', 'type',
}
for _, name in ipairs(allowed) do globals[name] = _G[name] end
globals.xpcall = xpcall51
globals.error = error51
globals.tostring = tostring51
globals.pcall = pcall51
globals.rawset = rawset_checked
globals.setmetatable = setmetatable_checked
globals.getmetatable = getmetatable_checked
globals.unpack = table.unpack
globals.loadstring = loadstring51
globals.load = load51
globals.collectgarbage = collectgarbage51
globals._VERSION = _VERSION
globals._G = env
globals.string = readonly(string51)
globals.table = readonly(table51)
globals.math = readonly(math51)
globals.coroutine = readonly(coroutine51)
globals.os = readonly({ clock = os.clock })
globals.bit = readonly(bit)
globals.redis = readonly(redis)

-- cjson, cmsgpack, struct: pure Lua 5.4 chunks (Scripting/Libraries), loaded once per state.
-- Their shared helpers (Scripting/LibrarySupport.lua) come as natives.support; its chunk name
-- starts with '=' so that error positions skip its frames as they skip the libraries'.
if library_support then natives.support = assert(real_load(library_support, '=library_support', 't'))() end
for name, source in pairs(library_sources or {}) do
  local chunk = assert(real_load(source, '=' .. name, 't'))
  globals[name] = readonly(chunk(natives))
end

-- Strings index the read-only string library; their shared metatable is protected too.
local string_mt = getmetatable('')
string_mt.__index = globals.string
string_mt.__metatable = readonly(string_mt)

setmetatable(globals, { __index = nonexistent_global })

-- what C# calls ---------------------------------------------------------------------------

local scripts = {}

-- A to-be-closed local in the chunk's outer block stops Lua 5.4 from compiling `return f()` there
-- as a tail call, so a failing redis.call still has the script's frame (and line) on the stack,
-- as Lua 5.1 reported it. It sits on line 1, so line numbers are unchanged.
local function compile(code)
  local f, message = real_load('local __ol_frame <close> = nil; ' .. code, '@user_script', 't', env)
  if not f then return nil, message end
  return f
end

-- Message handler for a script run: finds the script line that failed and says whether the
-- error already carries a Redis error code ({err=...} tables) or is a plain Lua error.
function on_error(e)
  local line, level, source = 0, 2, nil -- nil: C# names the script's own chunk
  while true do
    local info = getinfo(level, 'Sl')
    if not info then break end
    if info.source == '@user_script' or info.source == '@user_function' then line = info.currentline source = info.source break end
    level = level + 1
  end
  if type(e) == 'table' and e.err ~= nil then
    return { err = real_tostring(e.err), line = line, coded = true, source = source }
  end
  return { err = e == nil and 'nil' or real_tostring(e), line = line, coded = false, source = source }
end

-- Function libraries (FUNCTION LOAD) -------------------------------------------------------
-- As in Redis 7.0, a library's top-level code runs with globals that hold only a `redis` table of
-- register_function, log, LOG_* and the version (env's __index is switched for the load), under a
-- time limit; its functions then run with the ordinary globals. Each registered callback is kept
-- in `scripts` under key .. name as a wrapper that hands it KEYS and ARGV.

local registering = nil -- the load in progress: { names = {...}, list = {...} }
-- level 3: the position of the library line that called redis.register_function
local function register_fail(message) real_error(message, 3) end
local function flag_list(t)
  local out, known = {}, { ['no-writes'] = true, ['allow-oom'] = true, ['allow-stale'] = true, ['no-cluster'] = true, ['allow-cross-slot-keys'] = true }
  local i = 1
  while true do
    local v = t[i]
    if v == nil then break end
    if type(v) ~= 'string' and type(v) ~= 'number' then return nil end
    local f = string.lower(real_tostring(v))
    if not known[f] then return nil end
    out[#out + 1] = f
    i = i + 1
  end
  return out
end
local function valid_function_name(name)
  return #name > 0 and not name:find('[^%w_]')
end
local function register_function(...)
  if not registering then real_error('redis.register_function can only be called on FUNCTION LOAD command', 2) end
  local n = select('#', ...)
  if n < 1 or n > 2 then register_fail('wrong number of arguments to redis.register_function') end
  local name, callback, flags, description
  if n == 1 then
    local t = ...
    if type(t) ~= 'table' then register_fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).') end
    for k, v in pairs(t) do
      if type(k) ~= 'string' and type(k) ~= 'number' then register_fail('named argument key given to redis.register_function is not a string') end
      local key = string.lower(real_tostring(k))
      if key == 'function_name' then
        if type(v) ~= 'string' and type(v) ~= 'number' then register_fail('function_name argument given to redis.register_function must be a string') end
        name = real_tostring(v)
      elseif key == 'description' then
        if type(v) ~= 'string' and type(v) ~= 'number' then register_fail('description argument given to redis.register_function must be a string') end
        description = real_tostring(v)
      elseif key == 'callback' then
        if type(v) ~= 'function' then register_fail('callback argument given to redis.register_function must be a function') end
        callback = v
      elseif key == 'flags' then
        if type(v) ~= 'table' then register_fail('flags argument to redis.register_function must be a table representing function flags') end
        flags = flag_list(v)
        if not flags then register_fail('unknown flag given') end
      else
        register_fail('unknown argument given to redis.register_function')
      end
    end
    if not name then register_fail('redis.register_function must get a function name argument') end
    if not callback then register_fail('redis.register_function must get a callback argument') end
  else
    name, callback = ...
    if type(name) ~= 'string' and type(name) ~= 'number' then register_fail('first argument to redis.register_function must be a string') end
    name = real_tostring(name)
    if type(callback) ~= 'function' then register_fail('second argument to redis.register_function must be a function') end
  end
  if not valid_function_name(name) then register_fail('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long') end
  local lower = string.lower(name)
  if registering.names[lower] then register_fail('Function already exists in the library') end
  registering.names[lower] = true
  registering.list[#registering.list + 1] = { name = name, callback = callback, flags = flags or {}, description = description }
end

local load_redis = {
  register_function = register_function, log = redis.log,
  LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REDIS_VERSION = redis.REDIS_VERSION, REDIS_VERSION_NUM = redis.REDIS_VERSION_NUM,
}
setmetatable(load_redis, { __index = nonexistent_global })
local load_globals = setmetatable({ redis = readonly(load_redis) }, { __index = nonexistent_global })

local clock, load_deadline = os.clock, nil
-- Once past the deadline the hook fires on every line and raises again (pcall cannot keep the load going),
-- but only in the library's own code: load_library's lines below must still run to remove it.
local function load_stop_hook()
  local info = getinfo(2, 'S')
  if info and info.source == '@user_function' then real_error('FUNCTION LOAD timeout', 0) end
end
local function load_hook()
  if clock() > load_deadline then
    sethook(load_stop_hook, 'l', 1)
    real_error('FUNCTION LOAD timeout', 0)
  end
end

-- Runs a library's code (shebang line blanked); on success stores its functions in `scripts` under
-- key .. '/' .. lower-case name and returns a list of { name, flags (comma-separated), description }.
-- On failure returns nil and Redis's message.
local function load_library(key, code, timeout_seconds)
  local chunk, message = real_load(code, '@user_function', 't', env)
  if not chunk then return nil, 'Error compiling function: ' .. message end
  registering = { names = {}, list = {} }
  env_mt.__index = load_globals
  load_deadline = clock() + timeout_seconds
  sethook(load_hook, '', 100000)
  local ok, e = real_pcall(chunk)
  sethook()
  env_mt.__index = globals
  local list = registering.list
  registering = nil
  if not ok then
    if type(e) == 'table' and e.err ~= nil then e = e.err end
    return nil, 'Error registering functions: ' .. real_tostring(e)
  end
  local described = {}
  for i, f in ipairs(list) do
    local callback = f.callback
    scripts[key .. '/' .. string.lower(f.name)] = function() return callback(globals.KEYS, globals.ARGV) end
    described[i] = { f.name, table.concat(f.flags, ','), f.description }
  end
  scripts[key] = function() end -- marks the library as loaded in this state
  return described
end

local function arm() stop_error = nil; sethook(count_hook, '', 100000) end
local function disarm() sethook(); stop_error = nil end

return { load_library = load_library, compile = compile, on_error = on_error, globals = globals, scripts = scripts, arm = arm, disarm = disarm }
