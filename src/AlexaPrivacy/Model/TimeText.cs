// One way to show an instant everywhere (views, messages, -WhatIf lines): ISO 8601 with the
// offset, to the second, whatever the culture; exports add milliseconds to the same pattern.
using System;
using System.Globalization;

namespace AlexaPrivacy
{
    internal static class TimeText
    {
        public const string Pattern = "yyyy-MM-ddTHH:mm:sszzz";

        public static string Format(DateTimeOffset time) => time.ToString(Pattern, CultureInfo.InvariantCulture);
    }
}
