#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The secret canary of a test run: looks for every secret the tests created in everything the run wrote.
.DESCRIPTION
    The tests record each secret they create or see (test accounts' passwords and TOTP keys, the
    one-time codes and cookie values the replica received or set) as JSON lines in the files of
    -SecretsFolder ({"kind":"password","value":"..."}). This script searches every file under -Path
    (zip files, such as traces, entry by entry) and every captured stream under -StreamPath for each
    secret, as written, URL-encoded, JSON-escaped and base64-encoded (TOTP keys also without their
    spaces, one-time codes only as a whole number), and returns one hit per place and secret: the
    place and the kind of secret, never the secret.

    A saved session (a storage state: a JSON object with "cookies" and "origins") is the one file
    whose job is to hold cookies: cookie values in it are not hits; a password, key or code still is.
    Only what the run wrote is searched, never the test scripts that hold the literal passwords.
.OUTPUTS
    One object: Files, Streams (how many were searched), Secrets (how many distinct secrets), Hits
    (Place, Kind, Form).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $SecretsFolder,
    [string[]] $Path = @(),
    [string[]] $StreamPath = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# Shorter values would match ordinary text by chance; the tests' secrets are all longer, codes aside.
$minimumLength = 8

$secrets = [Collections.Generic.Dictionary[string, string]]::new([StringComparer]::Ordinal)   # form -> kind
$codes = [Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
if (Test-Path $SecretsFolder) {
    foreach ($file in Get-ChildItem $SecretsFolder -File -Recurse) {
        foreach ($line in [IO.File]::ReadAllLines($file.FullName)) {
            if (-not $line.Trim()) { continue }
            $entry = $line | ConvertFrom-Json
            $value = [string]$entry.value
            if (-not $value) { continue }
            if ($entry.kind -eq 'code') {
                if ($value -match '^\d{6,8}$') { $null = $codes.Add($value) }
                continue
            }
            $plain = @($value)
            if ($entry.kind -eq 'totp') { $plain += ($value -replace '\s', ''); $plain += ($value -replace '\s', '').ToLowerInvariant() }
            foreach ($p in $plain | Select-Object -Unique) {
                if ($p.Length -lt $minimumLength) { continue }
                $forms = [ordered]@{
                    plain  = $p
                    url    = [Uri]::EscapeDataString($p)
                    json   = [Text.Json.JsonEncodedText]::Encode($p).ToString()
                    base64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($p)).TrimEnd('=')
                }
                foreach ($form in $forms.GetEnumerator()) {
                    if (-not $secrets.ContainsKey($form.Value)) { $secrets[$form.Value] = "$($entry.kind)|$($form.Key)" }
                }
            }
        }
    }
}

# One expression for all: .NET searches a set of literals at once, so thousands of cookie values cost one pass.
$secretPattern = if ($secrets.Count) {
    [regex]::new((($secrets.Keys | Sort-Object Length -Descending | ForEach-Object { [regex]::Escape($_) }) -join '|'), 'CultureInvariant')
}
# A code is a whole number: not part of a longer number or a decimal (times and sizes are full of digits).
$codePattern = if ($codes.Count) {
    [regex]::new('(?<![\d.])(?:' + (($codes | ForEach-Object { [regex]::Escape($_) }) -join '|') + ')(?![\d.])', 'CultureInvariant')
}

function Get-Texts {
    param([byte[]] $Bytes, [string] $Name, [int] $Depth = 0)
    # Latin-1 keeps every byte as one character, so an ASCII secret is found in UTF-8, binary or compressed-less data alike.
    [pscustomobject]@{ Name = $Name; Text = [Text.Encoding]::Latin1.GetString($Bytes) }
    [pscustomobject]@{ Name = "$Name (UTF-16)"; Text = [Text.Encoding]::Unicode.GetString($Bytes) }
    if ($Depth -lt 2 -and $Bytes.Length -gt 4 -and $Bytes[0] -eq 0x50 -and $Bytes[1] -eq 0x4b -and $Bytes[2] -eq 3 -and $Bytes[3] -eq 4) {
        try {
            $zip = [IO.Compression.ZipArchive]::new([IO.MemoryStream]::new($Bytes), [IO.Compression.ZipArchiveMode]::Read)
            try {
                foreach ($entry in $zip.Entries) {
                    $stream = $entry.Open(); $memory = [IO.MemoryStream]::new()
                    try { $stream.CopyTo($memory) } finally { $stream.Dispose() }
                    Get-Texts -Bytes $memory.ToArray() -Name "$Name!$($entry.FullName)" -Depth ($Depth + 1)
                }
            }
            finally { $zip.Dispose() }
        }
        catch [IO.InvalidDataException] {
            # Not a zip after all: its bytes were searched as they are.
        }
    }
}

function Test-StorageState {
    param([string] $Text)
    if ($Text.Length -gt 4MB -or -not $Text.TrimStart().StartsWith('{')) { return $false }
    try { $json = $Text | ConvertFrom-Json -ErrorAction Stop } catch { return $false }
    if ($json -isnot [pscustomobject]) { return $false }
    $names = @($json.PSObject.Properties | ForEach-Object Name)
    $names -contains 'cookies' -and $names -contains 'origins'
}

$hits = [Collections.Generic.List[object]]::new()
function Search-Text {
    param([string] $Place, [string] $Text, [bool] $CookiesAllowed)
    $seen = [Collections.Generic.HashSet[string]]::new()
    if ($secretPattern) {
        foreach ($match in $secretPattern.Matches($Text)) {
            $kind, $form = $secrets[$match.Value] -split '\|'
            if ($CookiesAllowed -and $kind -eq 'cookie') { continue }
            if ($seen.Add("$kind|$form|$($match.Value)")) { $hits.Add([pscustomobject]@{ Place = $Place; Kind = $kind; Form = $form }) }
        }
    }
    if ($codePattern) {
        foreach ($match in $codePattern.Matches($Text)) {
            if ($seen.Add("code|$($match.Value)")) { $hits.Add([pscustomobject]@{ Place = $Place; Kind = 'code'; Form = 'plain' }) }
        }
    }
}

$fileCount = 0
foreach ($root in $Path) {
    if (-not (Test-Path $root)) { continue }
    foreach ($file in Get-ChildItem $root -File -Recurse -Force) {
        $fileCount++
        $bytes = [IO.File]::ReadAllBytes($file.FullName)
        foreach ($part in Get-Texts -Bytes $bytes -Name $file.FullName) {
            Search-Text -Place $part.Name -Text $part.Text -CookiesAllowed (Test-StorageState $part.Text)
        }
    }
}
$streamCount = 0
foreach ($root in $StreamPath) {
    if (-not (Test-Path $root)) { continue }
    foreach ($file in Get-ChildItem $root -File -Recurse -Force) {
        $streamCount++
        Search-Text -Place "stream $($file.Name)" -Text ([Text.Encoding]::Latin1.GetString([IO.File]::ReadAllBytes($file.FullName))) -CookiesAllowed $false
    }
}

[pscustomobject]@{
    Files   = $fileCount
    Streams = $streamCount
    Secrets = $secrets.Count + $codes.Count
    Hits    = $hits.ToArray()
}
