// Secrets live as SecureString; plain text exists only for the moment it is typed into a page.
using System;
using System.Runtime.InteropServices;
using System.Security;

namespace AlexaPrivacy.Security
{
    internal static class SecretText
    {
        public static SecureString ToSecure(string plain)
        {
            if (plain == null) return null;
            var secure = new SecureString();
            foreach (char c in plain) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>Gives the plain text to <paramref name="use"/> and clears the unmanaged copy afterwards.</summary>
        public static T Reveal<T>(SecureString secret, Func<string, T> use)
        {
            if (secret == null) return use(null);
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return use(Marshal.PtrToStringUni(ptr));
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }

        public static bool IsEmpty(SecureString secret) => secret == null || secret.Length == 0;
    }
}
