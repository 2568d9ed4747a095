// A selector engine of the module's own that matches a document only while that document is on a
// given origin: "alexaprivacyorigin=https://www.amazon.com >> #ap_password" finds the password field
// only in a document of that origin. Playwright resolves the whole selector in one document and acts on
// the element it found there; when that document is replaced meanwhile the element is detached, and
// the next try resolves again in the new document, where the origin no longer matches. So a secret is
// typed only into a field whose own document is on the session's origin, checked in the same look that
// finds the field. The engine runs in Playwright's isolated world, as the built-in engines do, so it
// costs the page no second copy of Playwright's script (an element handle would).
using System;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace AlexaPrivacy.Browser
{
    internal static class OriginSelector
    {
        /// <summary>The engine's name (Playwright allows letters, digits and underscores).</summary>
        public const string EngineName = "alexaprivacyorigin";

        // The document element of the document that holds the root, when that document's origin is the
        // body of the selector; nothing otherwise (an opaque origin, "null", matches no body given here).
        private const string Script = @"(() => {
  const match = (root, origin) => {
    const doc = root.ownerDocument || root;
    const where = doc && doc.location;
    return where && where.origin === origin && doc.documentElement ? doc.documentElement : null;
  };
  return {
    query: (root, origin) => match(root, origin),
    queryAll: (root, origin) => { const element = match(root, origin); return element ? [element] : []; },
  };
})()";

        /// <summary>Registers the engine on a new driver, before any browser context exists.</summary>
        public static Task RegisterAsync(IPlaywright playwright) =>
            playwright.Selectors.RegisterAsync(EngineName, new SelectorsRegisterOptions { Script = Script, ContentScript = true });

        /// <summary>The origin of <paramref name="expected"/> as a browser writes it (scheme://host[:port], the port only when not the default).</summary>
        public static string OriginOf(Uri expected)
        {
            string host = expected.HostNameType == UriHostNameType.IPv6 ? expected.Host : expected.IdnHost;
            string origin = expected.Scheme.ToLowerInvariant() + "://" + host.ToLowerInvariant() + (expected.IsDefaultPort ? "" : ":" + expected.Port);
            foreach (char c in origin)
            {
                // What reaches the selector parser is only what an origin can hold; anything else is refused, never passed on.
                if (!(char.IsLetterOrDigit(c) && c < 128) && ".-:/[]".IndexOf(c) < 0)
                    throw new ArgumentException($"'{origin}' is not an origin the module can check.", nameof(expected));
            }
            return origin;
        }

        /// <summary>The selector part that limits what follows it to documents on the origin of <paramref name="expected"/>.</summary>
        public static string For(Uri expected) => EngineName + "=" + OriginOf(expected);
    }
}
