#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds the module's help: docs/en-US/*.md (PlatyPS schema) into AlexaPrivacy.dll-Help.xml (MAML)
    and about_*.md into about_*.help.txt.
.DESCRIPTION
    With PlatyPS installed, New-ExternalHelp does the work. Without it (the build machines cannot
    install it), the project's converter in HelpMarkdown.ps1 writes the same MAML. Either way the
    result is checked: the MAML must load as XML and no '{{ ... }}' placeholder may remain.
.EXAMPLE
    ./tools/Build-Help.ps1 -DocsPath docs/en-US -OutputPath out/AlexaPrivacy/en-US
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath,
    # Use the project's converter even when PlatyPS is installed (to compare the two).
    [switch] $NoPlatyPS
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'HelpMarkdown.ps1')

$DocsPath = (Resolve-Path $DocsPath).ProviderPath
if (-not (Test-Path $OutputPath)) { New-Item -ItemType Directory -Path $OutputPath -Force | Out-Null }
$OutputPath = (Resolve-Path $OutputPath).ProviderPath

$commandFiles = @(Get-ChildItem $DocsPath -Filter *.md -File | Where-Object { $_.BaseName -notlike 'about_*' } | Sort-Object Name)
$aboutFiles = @(Get-ChildItem $DocsPath -Filter 'about_*.md' -File | Sort-Object Name)
$platyPS = if ($NoPlatyPS) { $null } else { Get-Module -ListAvailable platyPS | Sort-Object Version -Descending | Select-Object -First 1 }

if ($platyPS) {
    Write-Host "Building help with PlatyPS $($platyPS.Version)..."
    Import-Module $platyPS -Force
    New-ExternalHelp -Path $DocsPath -OutputPath $OutputPath -Force | Out-Null
}
else {
    Write-Host "Building help with the project's converter ($($commandFiles.Count) cmdlets, $($aboutFiles.Count) about topics)..."
    # Each file names the MAML it belongs to in its front matter, as New-ExternalHelp expects.
    $groups = $commandFiles | ForEach-Object { Read-HelpMarkdown $_.FullName } |
        Group-Object { $f = $_.Metadata['external help file']; if ($f) { $f } else { throw "$($_.Path): the front matter has no 'external help file'." } }
    foreach ($group in $groups) {
        $xml = ConvertTo-HelpMaml -Help $group.Group
        [System.IO.File]::WriteAllText((Join-Path $OutputPath $group.Name), $xml, [System.Text.UTF8Encoding]::new($false))
    }
    foreach ($about in $aboutFiles) {
        $text = ConvertTo-AboutHelpText -Path $about.FullName
        [System.IO.File]::WriteAllText((Join-Path $OutputPath ($about.BaseName + '.help.txt')), $text, [System.Text.UTF8Encoding]::new($false))
    }
}

foreach ($file in Get-ChildItem $OutputPath -File | Where-Object { $_.Name -like '*-Help.xml' -or $_.Name -like 'about_*.help.txt' }) {
    $content = [System.IO.File]::ReadAllText($file.FullName)
    if ($content -match '\{\{') { throw "$($file.Name) still holds a '{{ ... }}' placeholder from the markdown: write the text in docs/en-US." }
    if ($file.Extension -eq '.xml') { $null = [xml]$content }
    Write-Host "  $($file.Name)"
}
