// The sessions of a runspace and its current one: per runspace, never process-wide, so parallel
// runspaces keep their own. Get-AlexaSession lists them; Disconnect-AlexaAccount -All closes them.
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace AlexaPrivacy
{
    internal static class SessionRegistry
    {
        private sealed class Holder
        {
            public AlexaSession Current;
            public readonly List<AlexaSession> Sessions = new List<AlexaSession>();
        }

        private static readonly ConditionalWeakTable<Runspace, Holder> Table = new ConditionalWeakTable<Runspace, Holder>();

        public static AlexaSession GetCurrent()
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null) return null;
            return Table.TryGetValue(runspace, out var holder) && holder.Current != null && holder.Current.IsOpen ? holder.Current : null;
        }

        /// <summary>Makes <paramref name="session"/> the current session of this runspace and one of its sessions.</summary>
        public static void SetCurrent(AlexaSession session)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null) return;
            var holder = Table.GetOrCreateValue(runspace);
            lock (holder.Sessions)
            {
                holder.Current = session;
                if (session != null && !holder.Sessions.Contains(session)) holder.Sessions.Add(session);
            }
        }

        /// <summary>The open sessions of this runspace, oldest first; closed ones are forgotten.</summary>
        public static IReadOnlyList<AlexaSession> All()
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null || !Table.TryGetValue(runspace, out var holder)) return new AlexaSession[0];
            lock (holder.Sessions)
            {
                holder.Sessions.RemoveAll(s => !s.IsOpen);
                return holder.Sessions.ToList();
            }
        }

        /// <summary>True when <paramref name="session"/> is the current session of this runspace.</summary>
        public static bool IsCurrent(AlexaSession session) => session != null && ReferenceEquals(GetCurrent(), session);

        /// <summary>Forgets a closed session; it stops being current if it was.</summary>
        public static void ClearIf(AlexaSession session)
        {
            var runspace = Runspace.DefaultRunspace;
            if (runspace == null) return;
            if (!Table.TryGetValue(runspace, out var holder)) return;
            lock (holder.Sessions)
            {
                holder.Sessions.Remove(session);
                if (ReferenceEquals(holder.Current, session)) holder.Current = null;
            }
        }
    }
}
