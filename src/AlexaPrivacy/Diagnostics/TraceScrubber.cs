// Rewrites a Playwright trace so that it holds no session and no typed text: every Cookie and
// Set-Cookie header value, every cookie list (requests, responses, the cookies and storage-state
// calls), saved storage (origins, localStorage), every known cookie value wherever else it appears,
// every input's and text area's value in the DOM snapshots, and the text of fill and type calls.
using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlexaPrivacy.Diagnostics
{
    internal static class TraceScrubber
    {
        public const string Removed = "(removed)";

        private static readonly HashSet<string> SecretHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "cookie", "set-cookie", "authorization", "proxy-authorization", "x-amz-access-token", "x-amzn-session-id",
        };

        // Calls whose parameters or results are a session: their events keep only their names.
        private static readonly HashSet<string> SessionCalls = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "cookies", "addCookies", "clearCookies", "storageState", "setStorageState", "setExtraHTTPHeaders",
        };

        // Calls whose parameters are typed text: the text is removed, the call kept.
        private static readonly HashSet<string> TypingCalls = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "fill", "type", "press", "pressSequentially", "insertText", "selectText",
        };

        // Where a DOM snapshot keeps what is in a field: the live value, and the value attribute.
        private static readonly HashSet<string> ValueAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "__playwright_value_", "value",
        };

        // As Playwright writes it: text stays text (an escaped '<' would still be read, but not be greppable).
        private static readonly JsonSerializerOptions Output = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        // Shorter values are not searched for everywhere: they would match ordinary text.
        private const int MinimumValueLength = 8;

        /// <summary>Returns the scrubbed trace zip; <paramref name="knownValues"/> are cookie values of the context.</summary>
        public static byte[] Scrub(byte[] zip, IEnumerable<string> knownValues)
        {
            var values = new HashSet<string>(knownValues.Where(v => !string.IsNullOrEmpty(v)), StringComparer.Ordinal);
            var entries = new List<(string Name, byte[] Bytes)>();
            using (var input = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
            {
                foreach (var entry in input.Entries)
                {
                    using (var stream = entry.Open())
                    using (var memory = new MemoryStream())
                    {
                        stream.CopyTo(memory);
                        entries.Add((entry.FullName, memory.ToArray()));
                    }
                }
            }
            // Events first: the cookie values they carry are then searched for in every entry.
            for (int i = 0; i < entries.Count; i++)
            {
                if (IsEventFile(entries[i].Name)) entries[i] = (entries[i].Name, ScrubEvents(entries[i].Bytes, values));
            }
            var patterns = values.Where(v => v.Length >= MinimumValueLength).Distinct()
                .SelectMany(v => new[] { v, Uri.EscapeDataString(v), JsonEncodedText.Encode(v).ToString() })
                .Distinct().OrderByDescending(v => v.Length).Select(v => Encoding.UTF8.GetBytes(v)).ToList();
            var output = new MemoryStream();
            using (var archive = new ZipArchive(output, ZipArchiveMode.Create, true))
            {
                foreach (var (name, bytes) in entries)
                {
                    var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                    using (var stream = entry.Open())
                    {
                        var clean = ReplaceAll(bytes, patterns, Encoding.UTF8.GetBytes(Removed));
                        stream.Write(clean, 0, clean.Length);
                    }
                }
            }
            return output.ToArray();
        }

        private static bool IsEventFile(string name) =>
            name.EndsWith(".trace", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".network", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);

        /// <summary>One JSON event per line; lines that are not JSON are dropped, not kept unread.</summary>
        private static byte[] ScrubEvents(byte[] bytes, HashSet<string> values)
        {
            var text = Encoding.UTF8.GetString(bytes);
            var sessionCallIds = new HashSet<string>(StringComparer.Ordinal);
            var builder = new StringBuilder(text.Length);
            foreach (var line in text.Split('\n'))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                JsonNode node;
                try { node = JsonNode.Parse(line); }
                catch (JsonException) { continue; }
                if (node is JsonObject ev)
                {
                    string method = (ev["method"] as JsonValue)?.ToString() ?? (ev["apiName"] as JsonValue)?.ToString();
                    string callId = (ev["callId"] as JsonValue)?.ToString();
                    if (method != null && SessionCalls.Contains(method.Substring(method.LastIndexOf('.') + 1)))
                    {
                        if (callId != null) sessionCallIds.Add(callId);
                        ev.Remove("params");
                        ev.Remove("result");
                    }
                    else if (callId != null && sessionCallIds.Contains(callId))
                    {
                        ev.Remove("params");
                        ev.Remove("result");
                    }
                    else if (method != null && TypingCalls.Contains(method.Substring(method.LastIndexOf('.') + 1)) && ev["params"] is JsonObject typed)
                    {
                        foreach (var key in new[] { "value", "text", "key" }) if (typed.ContainsKey(key)) typed[key] = Removed;
                    }
                }
                Walk(node, values);
                builder.Append(node?.ToJsonString(Output)).Append('\n');
            }
            return Encoding.UTF8.GetBytes(builder.ToString());
        }

        private static void Walk(JsonNode node, HashSet<string> values)
        {
            if (node is JsonObject obj)
            {
                // A header as {"name": "Cookie", "value": "..."}: keep the name, drop the value (and learn it).
                if (obj["name"] is JsonValue name && name.TryGetValue(out string headerName) && SecretHeaders.Contains(headerName)
                    && obj["value"] is JsonValue value && value.TryGetValue(out string headerValue))
                {
                    Learn(headerName, headerValue, values);
                    obj["value"] = Removed;
                }
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[key];
                    if (string.Equals(key, "__playwright_value_", StringComparison.OrdinalIgnoreCase))
                    {
                        // The live value of a field, wherever a snapshot keeps it.
                        obj[key] = "";
                        continue;
                    }
                    if (string.Equals(key, "cookies", StringComparison.OrdinalIgnoreCase) || string.Equals(key, "origins", StringComparison.OrdinalIgnoreCase)
                        || string.Equals(key, "localStorage", StringComparison.OrdinalIgnoreCase) || string.Equals(key, "storageState", StringComparison.OrdinalIgnoreCase))
                    {
                        CollectCookieValues(child, values);
                        obj[key] = new JsonArray();
                    }
                    else if (SecretHeaders.Contains(key) && child is JsonValue headerValue2 && headerValue2.TryGetValue(out string text))
                    {
                        // A header as {"Cookie": "..."}.
                        Learn(key, text, values);
                        obj[key] = Removed;
                    }
                    else
                    {
                        Walk(child, values);
                    }
                }
            }
            else if (node is JsonArray array)
            {
                BlankField(array);
                foreach (var item in array) Walk(item, values);
            }
        }

        /// <summary>
        /// A snapshot element is ["TAG", {attributes}, children...]: an input keeps no value attribute,
        /// and a text area no text.
        /// </summary>
        private static void BlankField(JsonArray element)
        {
            if (element.Count < 2 || !(element[0] is JsonValue tagValue) || !tagValue.TryGetValue(out string tag) || !(element[1] is JsonObject attributes)) return;
            bool input = string.Equals(tag, "INPUT", StringComparison.OrdinalIgnoreCase);
            bool textArea = string.Equals(tag, "TEXTAREA", StringComparison.OrdinalIgnoreCase);
            if (!input && !textArea) return;
            foreach (var key in attributes.Select(p => p.Key).Where(ValueAttributes.Contains).ToList()) attributes[key] = "";
            if (textArea)
            {
                for (int i = 2; i < element.Count; i++) if (element[i] is JsonValue) element[i] = "";
            }
        }

        private static void CollectCookieValues(JsonNode node, HashSet<string> values)
        {
            if (node is JsonObject obj)
            {
                if (obj["value"] is JsonValue v && v.TryGetValue(out string text) && !string.IsNullOrEmpty(text)) values.Add(text);
                foreach (var pair in obj) CollectCookieValues(pair.Value, values);
            }
            else if (node is JsonArray array)
            {
                foreach (var item in array) CollectCookieValues(item, values);
            }
        }

        // "a=1; b=2" (Cookie) or "a=1; Path=/; HttpOnly" (Set-Cookie, one or more lines): the values are secrets.
        private static void Learn(string header, string text, HashSet<string> values)
        {
            if (string.IsNullOrEmpty(text)) return;
            bool setCookie = header.Equals("set-cookie", StringComparison.OrdinalIgnoreCase);
            foreach (var line in text.Split('\n'))
            {
                var parts = setCookie ? new[] { line.Split(';')[0] } : line.Split(';');
                foreach (var part in parts)
                {
                    int equals = part.IndexOf('=');
                    string value = (equals < 0 ? part : part.Substring(equals + 1)).Trim().Trim('"');
                    if (value.Length > 0) values.Add(value);
                }
            }
        }

        private static byte[] ReplaceAll(byte[] data, List<byte[]> patterns, byte[] replacement)
        {
            if (patterns.Count == 0) return data;
            var starts = new bool[256];
            foreach (var p in patterns) if (p.Length > 0) starts[p[0]] = true;
            var output = new MemoryStream(data.Length);
            int i = 0;
            while (i < data.Length)
            {
                byte[] match = null;
                if (starts[data[i]]) foreach (var p in patterns)
                {
                    if (p.Length > 0 && data[i] == p[0] && i + p.Length <= data.Length && Matches(data, i, p)) { match = p; break; }
                }
                if (match != null)
                {
                    output.Write(replacement, 0, replacement.Length);
                    i += match.Length;
                }
                else
                {
                    output.WriteByte(data[i]);
                    i++;
                }
            }
            return output.ToArray();
        }

        private static bool Matches(byte[] data, int at, byte[] pattern)
        {
            for (int k = 1; k < pattern.Length; k++) if (data[at + k] != pattern[k]) return false;
            return true;
        }
    }
}
