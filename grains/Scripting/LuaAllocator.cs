using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrleansLua.Grains.Scripting;

/// <summary>
/// The allocator of an engine's lua_State, over NativeMemory, counting bytes so a script run can be
/// capped. Refusing an allocation (returning NULL) makes Lua raise "not enough memory" inside its own
/// protected call, which is safe; the cap is suspended while C# pushes values, since a refused push
/// from C# would unwind through managed frames.
/// </summary>
internal static unsafe class LuaAllocator
{
    [StructLayout(LayoutKind.Sequential)]
    public struct State
    {
        public long Used;
        /// <summary>Bytes the state may reach; 0 = no cap.</summary>
        public long Limit;
        public int Suspended;
        public int Refused;
    }

    public static State* Create() => (State*)NativeMemory.AllocZeroed((nuint)sizeof(State));

    public static void Free(State* state) => NativeMemory.Free(state);

    public static delegate* unmanaged[Cdecl]<IntPtr, IntPtr, nuint, nuint, IntPtr> Function => &Allocate;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static IntPtr Allocate(IntPtr ud, IntPtr ptr, nuint oldSize, nuint newSize)
    {
        var state = (State*)ud;
        // When ptr is NULL, oldSize encodes the kind of object, not a size.
        long old = ptr == IntPtr.Zero ? 0 : (long)oldSize;
        if (newSize == 0)
        {
            if (ptr != IntPtr.Zero)
            {
                NativeMemory.Free((void*)ptr);
                state->Used -= old;
            }
            return IntPtr.Zero;
        }
        long delta = (long)newSize - old;
        if (delta > 0 && state->Limit > 0 && state->Suspended == 0 && state->Used + delta > state->Limit)
        {
            state->Refused = 1;
            return IntPtr.Zero;
        }
        void* result = NativeMemory.Realloc((void*)ptr, newSize);
        if (result == null) return IntPtr.Zero;
        state->Used += delta;
        return (IntPtr)result;
    }
}
