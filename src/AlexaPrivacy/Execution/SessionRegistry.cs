// The current session is per runspace, never process-wide: parallel runspaces keep their own.
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace AlexaPrivacy.Execution
{
    internal static class SessionRegistry
    {
        private sealed class Holder
        {
            public AlexaSession Current;
        }

        private static readonly ConditionalWeakTable<Runspace, Holder> Table = new ConditionalWeakTable<Runspace, Holder>();

        public static AlexaSession GetCurrent()
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null) return null;
            return Table.TryGetValue(runspace, out var holder) && holder.Current != null && holder.Current.IsOpen ? holder.Current : null;
        }

        public static void SetCurrent(AlexaSession session)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null) return;
            Table.GetOrCreateValue(runspace).Current = session;
        }

        public static void ClearIf(AlexaSession session)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null) return;
            if (Table.TryGetValue(runspace, out var holder) && ReferenceEquals(holder.Current, session)) holder.Current = null;
        }
    }
}
