# The project's own reader and writers for PlatyPS-schema help (schema 2.0.0), used when PlatyPS
# is not installed: cmdlet markdown -> MAML as PlatyPS's New-ExternalHelp writes it, about-topic
# markdown -> the help.txt text, and a cmdlet's real metadata in the same shape for the tests and
# for HelpSync.ps1. Dot-source it; it defines functions only.

Set-StrictMode -Version 3.0

$script:HelpCommonParameterNames = @(
    [System.Management.Automation.PSCmdlet]::CommonParameters +
    [System.Management.Automation.PSCmdlet]::OptionalCommonParameters | Where-Object { $_ -notin 'WhatIf', 'Confirm' }
)

#region Reading markdown

function Split-HelpMarkdownBlock {
    # Splits the lines of a section body into blocks: text paragraphs, list items, table rows and
    # fenced code, the way a markdown reader sees them (a blank line ends a paragraph).
    param([string[]] $Lines)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $text = [System.Collections.Generic.List[string]]::new()
    $kind = $null
    $flush = {
        if ($text.Count -gt 0) {
            $blocks.Add([pscustomobject]@{ Kind = $kind; Lines = $text.ToArray(); Info = '' })
            $text.Clear()
        }
    }
    $i = 0
    while ($i -lt $Lines.Count) {
        $line = $Lines[$i]
        if ($line -match '^\s*(```+|~~~+)\s*(\S*)\s*$') {
            . $flush
            $fence = $Matches[1]; $info = $Matches[2]
            $code = [System.Collections.Generic.List[string]]::new()
            $i++
            while ($i -lt $Lines.Count -and $Lines[$i] -notmatch ('^\s*' + [regex]::Escape($fence) + '\s*$')) {
                $code.Add($Lines[$i]); $i++
            }
            $blocks.Add([pscustomobject]@{ Kind = 'Code'; Lines = $code.ToArray(); Info = $info })
            $i++
            continue
        }
        if ($line -match '^\s*$') { . $flush; $kind = $null; $i++; continue }
        if ($line -match '^\s*\|') {
            if ($kind -ne 'Table') { . $flush; $kind = 'Table' }
            $text.Add($line.Trim()); $i++; continue
        }
        if ($line -match '^\s*([-*+]|\d+[.)])\s+') {
            . $flush; $kind = 'Item'
            $text.Add($line.Trim()); $i++; continue
        }
        if ($kind -eq 'Table') { . $flush; $kind = $null }
        if ($null -eq $kind) { $kind = 'Text' }
        $text.Add($line.Trim())
        $i++
    }
    . $flush
    $blocks.ToArray()
}

function ConvertTo-HelpPlainText {
    # Inline markdown as a console reader wants it: links become their text, escapes are undone.
    # Code spans and emphasis markers stay; they read fine in a console.
    param([string] $Text)
    $Text = [regex]::Replace($Text, '\[([^\]]+)\]\(([^)\s]*)\)', {
            param($m)
            $label = $m.Groups[1].Value; $uri = $m.Groups[2].Value
            if ($uri -match '^https?://') { "$label ($uri)" } else { $label }
        })
    $Text -replace '\\([\\`*_{}\[\]()#+\-.!|$<>])', '$1'
}

function ConvertTo-HelpParagraph {
    # The paragraphs of a text section for MAML: one maml:para per paragraph or list item, code
    # kept line by line so that Get-Help shows it as written.
    param([string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    foreach ($block in (Split-HelpMarkdownBlock $Lines)) {
        switch ($block.Kind) {
            'Code' { foreach ($l in $block.Lines) { $paragraphs.Add('    ' + $l) } }
            'Table' { foreach ($l in $block.Lines) { if ($l -notmatch '^\|[\s:|-]+\|$') { $paragraphs.Add((ConvertTo-HelpPlainText $l)) } } }
            default { $paragraphs.Add((ConvertTo-HelpPlainText ($block.Lines -join ' '))) }
        }
    }
    , $paragraphs.ToArray()
}

function Get-HelpSection {
    # Splits lines at headings of one level (outside code fences): @{ Title; Lines } in order.
    param([string[]] $Lines, [int] $Level)
    $prefix = '#' * $Level
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = [pscustomobject]@{ Title = $null; Lines = [System.Collections.Generic.List[string]]::new() }
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*(```|~~~)') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match "^$prefix\s+(.+?)\s*#*\s*$" -and $line -notmatch "^$prefix#") {
            $sections.Add($current)
            $current = [pscustomobject]@{ Title = $Matches[1]; Lines = [System.Collections.Generic.List[string]]::new() }
            continue
        }
        $current.Lines.Add($line)
    }
    $sections.Add($current)
    $sections.ToArray()
}

function Read-HelpYamlBlock {
    # A parameter's metadata block: simple "Key: value" pairs, as PlatyPS reads them.
    param([string[]] $Lines, [string] $Where)
    $known = 'Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Applicable', 'Required', 'Position',
    'Default value', 'Accept pipeline input', 'Accept wildcard characters'
    $pairs = [ordered]@{}
    foreach ($line in $Lines) {
        if ($line -match '^\s*$') { continue }
        if ($line -notmatch '^\s*([^:]+?)\s*:\s*(.*?)\s*$') { throw "${Where}: '$line' is not a 'Key: value' line." }
        $key = $known | Where-Object { $_ -eq $Matches[1] } | Select-Object -First 1
        if (-not $key) { throw "${Where}: unknown key '$($Matches[1])' in a parameter's metadata block." }
        $pairs[$key] = $Matches[2]
    }
    $split = { param($v) if ($v) { @($v -split ',' | ForEach-Object Trim | Where-Object { $_ }) } else { @() } }
    $sets = @(& $split $pairs["Parameter Sets"])
    [pscustomobject]@{
        Type           = [string]$pairs['Type']
        ParameterSets  = if ($sets.Count) { $sets } else { @('(All)') }
        Aliases        = @(& $split $pairs["Aliases"])
        AcceptedValues = @(& $split $pairs["Accepted values"])
        Required       = $pairs['Required'] -eq 'true'
        Position       = if ($pairs['Position']) { $pairs['Position'] } else { 'Named' }
        DefaultValue   = $pairs['Default value']
        PipelineInput  = if ($pairs['Accept pipeline input']) { $pairs['Accept pipeline input'] } else { 'False' }
        Globbing       = $pairs['Accept wildcard characters'] -eq 'true'
        Raw            = $pairs
    }
}

function Read-HelpMarkdown {
    <#
    .SYNOPSIS
    Reads one cmdlet's PlatyPS (schema 2.0.0) markdown file into an object.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $text = [System.IO.File]::ReadAllText($Path) -replace "`r`n", "`n"
    $lines = $text -split "`n"
    $metadata = [ordered]@{}
    $start = 0
    if ($lines.Count -gt 0 -and $lines[0] -eq '---') {
        $end = [array]::IndexOf($lines, '---', 1)
        if ($end -lt 0) { throw "${Path}: the front matter has no closing '---'." }
        foreach ($line in $lines[1..($end - 1)]) {
            if ($line -match '^\s*([^:]+?)\s*:\s*(.*?)\s*$') { $metadata[$Matches[1]] = $Matches[2] }
        }
        $start = $end + 1
    }
    $body = if ($start -lt $lines.Count) { $lines[$start..($lines.Count - 1)] } else { @() }
    $top = @(Get-HelpSection $body 1)
    $named = @($top | Where-Object Title)
    if ($named.Count -ne 1) { throw "${Path}: expected exactly one '# <Command name>' heading, found $($named.Count)." }
    $help = [pscustomobject]@{
        Path                     = $Path
        Metadata                 = $metadata
        Name                     = $named[0].Title.Trim()
        Sections                 = [ordered]@{}
        Synopsis                 = @()
        Syntax                   = @()
        Description              = @()
        Examples                 = @()
        Parameters               = @()
        SupportsCommonParameters = $false
        Inputs                   = @()
        Outputs                  = @()
        Notes                    = @()
        Links                    = @()
    }
    foreach ($section in (Get-HelpSection $named[0].Lines 2 | Where-Object Title)) {
        $title = $section.Title.Trim().ToUpperInvariant()
        $help.Sections[$title] = $section.Lines.ToArray()
        $subsections = @(Get-HelpSection $section.Lines 3)
        switch ($title) {
            'SYNOPSIS' { $help.Synopsis = ConvertTo-HelpParagraph $section.Lines }
            'DESCRIPTION' { $help.Description = ConvertTo-HelpParagraph $section.Lines }
            'NOTES' { $help.Notes = ConvertTo-HelpParagraph $section.Lines }
            'SYNTAX' {
                $help.Syntax = @(foreach ($sub in $subsections) {
                        $code = @(Split-HelpMarkdownBlock $sub.Lines | Where-Object Kind -EQ 'Code')
                        if (-not $sub.Title -and -not $code) { continue }
                        $name = if ($sub.Title) { $sub.Title.Trim() } else { '(All)' }
                        [pscustomobject]@{
                            ParameterSetName = $name -replace '\s*\(Default\)$', ''
                            IsDefault        = $name -match '\(Default\)$'
                            Text             = ($code | ForEach-Object { $_.Lines -join "`n" }) -join "`n"
                        }
                    })
            }
            'EXAMPLES' {
                $help.Examples = @(foreach ($sub in $subsections | Where-Object Title) {
                        $blocks = @(Split-HelpMarkdownBlock $sub.Lines)
                        $firstCode = [array]::FindIndex([object[]]$blocks, [Predicate[object]] { param($b) $b.Kind -eq 'Code' })
                        $lastCode = [array]::FindLastIndex([object[]]$blocks, [Predicate[object]] { param($b) $b.Kind -eq 'Code' })
                        $remarkLines = [System.Collections.Generic.List[string]]::new()
                        $codeParts = [System.Collections.Generic.List[string]]::new()
                        for ($b = 0; $b -lt $blocks.Count; $b++) {
                            $block = $blocks[$b]
                            if ($block.Kind -eq 'Code' -and $b -le $lastCode) { $codeParts.Add($block.Lines -join "`r`n"); continue }
                            if ($b -lt $firstCode) { continue } # introduction text: PlatyPS does not render it either
                            if ($block.Kind -eq 'Code') { $remarkLines.Add('```'); $remarkLines.AddRange([string[]]$block.Lines); $remarkLines.Add('```') }
                            else { $remarkLines.AddRange([string[]]$block.Lines) }
                            $remarkLines.Add('')
                        }
                        [pscustomobject]@{
                            Title   = $sub.Title.Trim()
                            Code    = $codeParts -join "`r`n`r`n"
                            Remarks = ConvertTo-HelpParagraph $remarkLines.ToArray()
                        }
                    })
            }
            'PARAMETERS' {
                $help.Parameters = @(foreach ($sub in $subsections | Where-Object Title) {
                        $name = $sub.Title.Trim() -replace '^-', ''
                        if ($name -in 'CommonParameters', '<CommonParameters>') { $help.SupportsCommonParameters = $true; continue }
                        $blocks = @(Split-HelpMarkdownBlock $sub.Lines)
                        $yaml = @($blocks | Where-Object { $_.Kind -eq 'Code' -and $_.Info -eq 'yaml' })
                        $descriptionLines = [System.Collections.Generic.List[string]]::new()
                        foreach ($block in $blocks | Where-Object { -not ($_.Kind -eq 'Code' -and $_.Info -eq 'yaml') }) {
                            if ($block.Kind -eq 'Code') { $descriptionLines.Add('```'); $descriptionLines.AddRange([string[]]$block.Lines); $descriptionLines.Add('```') }
                            else { $descriptionLines.AddRange([string[]]$block.Lines) }
                            $descriptionLines.Add('')
                        }
                        [pscustomobject]@{
                            Name        = $name
                            Description = ConvertTo-HelpParagraph $descriptionLines.ToArray()
                            Metadata    = @($yaml | ForEach-Object { Read-HelpYamlBlock $_.Lines "$Path, -$name" })
                        }
                    })
            }
            { $_ -in 'INPUTS', 'OUTPUTS' } {
                $items = @(foreach ($sub in $subsections | Where-Object Title) {
                        [pscustomobject]@{ TypeName = (ConvertTo-HelpPlainText $sub.Title.Trim()); Description = ConvertTo-HelpParagraph $sub.Lines }
                    })
                if ($title -eq 'INPUTS') { $help.Inputs = $items } else { $help.Outputs = $items }
            }
            'RELATED LINKS' {
                $help.Links = @(foreach ($line in $section.Lines) {
                        foreach ($m in [regex]::Matches($line, '\[([^\]]+)\]\(([^)]*)\)')) {
                            [pscustomobject]@{ Text = $m.Groups[1].Value; Uri = $m.Groups[2].Value }
                        }
                    })
            }
            default { throw "${Path}: unexpected section '## $($section.Title)'." }
        }
    }
    $help
}

#endregion

#region MAML

function Format-HelpExampleTitle {
    # PlatyPS pads example titles with dashes to 64 characters, the way Get-Help shows built-in help.
    param([string] $Title)
    if ([string]::IsNullOrWhiteSpace($Title) -or $Title.Length -ge 62) { return $Title }
    $pad = [int][math]::Floor((64 - $Title.Length - 2) / 2)
    ('-' * $pad) + ' ' + $Title + ' ' + ('-' * $pad)
}

function ConvertTo-HelpMaml {
    <#
    .SYNOPSIS
    Writes the MAML (AlexaPrivacy.dll-Help.xml) for commands read by Read-HelpMarkdown, element for
    element as PlatyPS's MamlRenderer writes it.
    #>
    param([Parameter(Mandatory)] [object[]] $Help)
    $ns = @{
        msh     = 'http://msh'
        maml    = 'http://schemas.microsoft.com/maml/2004/10'
        command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
        dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
        MSHelp  = 'http://msdn.microsoft.com/mshelp'
    }
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.NewLineChars = "`n"
    $stream = [System.IO.MemoryStream]::new()
    $w = [System.Xml.XmlWriter]::Create($stream, $settings)

    $el = { param($prefix, $name, $value) $w.WriteElementString($prefix, $name, $ns[$prefix], $value) }
    $open = { param($prefix, $name) $w.WriteStartElement($prefix, $name, $ns[$prefix]) }
    $paras = {
        param($prefix, $name, [string[]] $paragraphs)
        & $open $prefix $name
        foreach ($p in $paragraphs) { & $el 'maml' 'para' $p }
        $w.WriteEndElement()
    }
    $parameter = {
        param($p, $meta, [bool] $inSyntax)
        $type = if ($meta.Type -in 'switch', 'Switch') { 'SwitchParameter' } else { $meta.Type }
        $isSwitch = $type -in 'SwitchParameter', 'System.Management.Automation.SwitchParameter'
        & $open 'command' 'parameter'
        $w.WriteAttributeString('required', $meta.Required.ToString().ToLowerInvariant())
        $w.WriteAttributeString('variableLength', 'true')
        $w.WriteAttributeString('globbing', $meta.Globbing.ToString().ToLowerInvariant())
        $w.WriteAttributeString('pipelineInput', $meta.PipelineInput)
        $w.WriteAttributeString('position', $meta.Position.ToLowerInvariant())
        $w.WriteAttributeString('aliases', $(if ($meta.Aliases.Count) { $meta.Aliases -join ', ' } else { 'none' }))
        & $el 'maml' 'name' $p.Name
        & $paras 'maml' 'description' $p.Description
        if ($inSyntax -and $meta.AcceptedValues.Count) {
            & $open 'command' 'parameterValueGroup'
            foreach ($v in $meta.AcceptedValues) {
                & $open 'command' 'parameterValue'
                $w.WriteAttributeString('required', 'false')
                $w.WriteAttributeString('command', 'variableLength', $ns.command, 'false')
                $w.WriteString($v)
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
        }
        if (-not $inSyntax -or -not $isSwitch) {
            & $open 'command' 'parameterValue'
            $w.WriteAttributeString('required', $(if ($isSwitch) { 'false' } else { 'true' }))
            $w.WriteAttributeString('variableLength', 'false')
            $w.WriteString($type)
            $w.WriteEndElement()
        }
        & $open 'dev' 'type'
        & $el 'maml' 'name' $type
        & $el 'maml' 'uri' ''
        $w.WriteEndElement()
        $default = if ($isSwitch -and ([string]::IsNullOrEmpty($meta.DefaultValue) -or $meta.DefaultValue -eq 'None')) { 'False' }
        elseif ($null -ne $meta.DefaultValue) { $meta.DefaultValue } else { 'None' }
        & $el 'dev' 'defaultValue' $default
        $w.WriteEndElement()
    }

    $w.WriteStartDocument()
    $w.WriteStartElement('helpItems', $ns.msh)
    $w.WriteAttributeString('schema', 'maml')
    foreach ($h in $Help) {
        $verb, $noun = $h.Name -split '-', 2
        & $open 'command' 'command'
        foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') { $w.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }
        & $open 'command' 'details'
        & $el 'command' 'name' $h.Name
        & $el 'command' 'verb' $verb
        & $el 'command' 'noun' $noun
        & $paras 'maml' 'description' $h.Synopsis
        $w.WriteEndElement()
        & $paras 'maml' 'description' $h.Description

        # Syntax comes from the parameters' metadata, one item per parameter set, as in PlatyPS.
        $setNames = [System.Collections.Generic.List[string]]::new()
        foreach ($p in $h.Parameters) {
            foreach ($m in $p.Metadata) { foreach ($s in $m.ParameterSets) { if (-not ($setNames -contains $s)) { $setNames.Add($s) } } }
        }
        & $open 'command' 'syntax'
        $items = if ($setNames.Count -eq 0) { , '(All)' } elseif ($setNames.Count -eq 1) { , $setNames[0] } else { $setNames | Where-Object { $_ -ne '(All)' } }
        foreach ($set in $items) {
            & $open 'command' 'syntaxItem'
            & $el 'maml' 'name' $h.Name
            $inSet = foreach ($p in $h.Parameters) {
                $m = $p.Metadata | Where-Object { $_.ParameterSets -contains $set } | Select-Object -First 1
                if (-not $m -and @($p.Metadata).Count -eq 1 -and $p.Metadata[0].ParameterSets -contains '(All)') { $m = $p.Metadata[0] }
                if ($m) { [pscustomobject]@{ Parameter = $p; Meta = $m } }
            }
            # A stable sort on the position text, as PlatyPS does: positional parameters first.
            foreach ($entry in @($inSet) | Sort-Object -Stable { $_.Meta.Position.ToLowerInvariant() }) {
                & $parameter $entry.Parameter $entry.Meta $true
            }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        & $open 'command' 'parameters'
        foreach ($p in $h.Parameters) {
            $meta = if (@($p.Metadata).Count) { $p.Metadata[0] } else { Read-HelpYamlBlock @() $h.Name }
            & $parameter $p $meta $false
        }
        $w.WriteEndElement()

        foreach ($kind in @(@('inputTypes', 'inputType', $h.Inputs), @('returnValues', 'returnValue', $h.Outputs))) {
            & $open 'command' $kind[0]
            foreach ($io in $kind[2]) {
                & $open 'command' $kind[1]
                & $open 'dev' 'type'
                & $el 'maml' 'name' $io.TypeName
                $w.WriteEndElement()
                & $paras 'maml' 'description' $io.Description
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
        }

        & $open 'maml' 'alertSet'
        & $paras 'maml' 'alert' $h.Notes
        $w.WriteEndElement()

        & $open 'command' 'examples'
        foreach ($ex in $h.Examples) {
            & $open 'command' 'example'
            & $el 'maml' 'title' (Format-HelpExampleTitle $ex.Title)
            & $el 'dev' 'code' $ex.Code
            & $paras 'dev' 'remarks' $ex.Remarks
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        & $open 'command' 'relatedLinks'
        $online = $h.Metadata['online version']
        if ($online) {
            & $open 'maml' 'navigationLink'
            & $el 'maml' 'linkText' 'Online Version:'
            & $el 'maml' 'uri' $online
            $w.WriteEndElement()
        }
        foreach ($link in $h.Links) {
            $uri = [uri]$null
            & $open 'maml' 'navigationLink'
            & $el 'maml' 'linkText' $link.Text
            # Get-Help accepts only absolute URIs; a link to another markdown file keeps its text only.
            & $el 'maml' 'uri' $(if ([uri]::TryCreate($link.Uri, [System.UriKind]::Absolute, [ref]$uri)) { $link.Uri } else { '' })
            $w.WriteEndElement()
        }
        $w.WriteEndElement()

        $w.WriteEndElement() # command:command
    }
    $w.WriteEndElement()
    $w.WriteEndDocument()
    $w.Flush()
    [System.Text.Encoding]::UTF8.GetString($stream.ToArray())
}

#endregion

#region About topics

function Format-HelpWrappedLine {
    param([string] $Text, [string] $Indent, [string] $HangingIndent = $Indent, [int] $Width = 80)
    $lines = [System.Collections.Generic.List[string]]::new()
    $current = $Indent
    $empty = $true
    foreach ($word in ($Text -split '\s+' | Where-Object { $_ })) {
        if (-not $empty -and ($current.Length + 1 + $word.Length) -gt $Width) {
            $lines.Add($current)
            $current = $HangingIndent + $word
        }
        else {
            $current += $(if ($empty) { '' } else { ' ' }) + $word
        }
        $empty = $false
    }
    if (-not $empty) { $lines.Add($current) }
    , $lines.ToArray()
}

function ConvertTo-AboutHelpText {
    <#
    .SYNOPSIS
    Turns an about-topic markdown file (PlatyPS's about template) into the text of
    about_<Name>.help.txt, laid out as PlatyPS's TextRenderer does: "TOPIC", the lookup name,
    level-1 headings in capitals, text indented by four spaces and wrapped at 80 columns.
    #>
    param([Parameter(Mandatory)] [string] $Path, [int] $Width = 80)
    $lines = ([System.IO.File]::ReadAllText($Path) -replace "`r`n", "`n") -split "`n"
    $out = [System.Collections.Generic.List[string]]::new()
    $indent = '    '
    $headingCount = 0
    $pending = [System.Collections.Generic.List[string]]::new()
    $emitBlocks = {
        $blocks = @(Split-HelpMarkdownBlock $pending.ToArray())
        for ($b = 0; $b -lt $blocks.Count; $b++) {
            $block = $blocks[$b]
            switch ($block.Kind) {
                'Code' { foreach ($l in $block.Lines) { $out.Add(($indent + $l).TrimEnd()) } }
                'Table' { foreach ($l in $block.Lines) { $out.Add($indent + (ConvertTo-HelpPlainText $l)) } }
                'Item' {
                    $item = ConvertTo-HelpPlainText ($block.Lines -join ' ')
                    $marker = ([regex]::Match($item, '^([-*+]|\d+[.)])\s+')).Value
                    $hanging = $indent + (' ' * $marker.Length)
                    $out.AddRange([string[]](Format-HelpWrappedLine $item $indent $hanging $Width))
                }
                default { $out.AddRange([string[]](Format-HelpWrappedLine (ConvertTo-HelpPlainText ($block.Lines -join ' ')) $indent $indent $Width)) }
            }
            # The items of one list stay together; every other block ends with a blank line.
            if (-not ($block.Kind -eq 'Item' -and $b + 1 -lt $blocks.Count -and $blocks[$b + 1].Kind -eq 'Item')) { $out.Add('') }
        }
        $pending.Clear()
    }
    $inFence = $false
    foreach ($line in $lines) {
        if ($line -match '^\s*(```|~~~)') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^(#{1,6})\s+(.+?)\s*$') {
            . $emitBlocks
            $level = $Matches[1].Length; $heading = $Matches[2]
            $headingCount++
            if ($headingCount -eq 1) { $out.Add('TOPIC') }
            elseif ($headingCount -eq 2 -and $level -eq 2) { $out.Add($indent + $heading.ToLowerInvariant()); $out.Add('') }
            elseif ($level -eq 1) { $out.Add($heading.ToUpperInvariant()) }
            elseif ($level -eq 2) { $out.Add($heading) }
            else { $out.Add($indent + $heading.ToUpperInvariant()) }
            continue
        }
        $pending.Add($line)
    }
    . $emitBlocks
    # One blank line at most between blocks, none at the end.
    $text = ($out -join "`n") -replace "\n{3,}", "`n`n"
    $text.TrimEnd() + "`n"
}

#endregion

#region A cmdlet's real metadata, in the markdown's terms

function Get-HelpPipelineInputText {
    param([System.Management.Automation.ParameterSetMetadata] $SetMetadata)
    $kinds = @()
    if ($SetMetadata.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($SetMetadata.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

function Get-HelpTypeName {
    # The type as PlatyPS writes it: the short .NET name (String, String[], SwitchParameter).
    param([type] $Type)
    if ($Type.IsGenericType) {
        $name = $Type.Name -replace '`\d+$', ''
        return "$name[$((($Type.GetGenericArguments() | ForEach-Object { Get-HelpTypeName $_ })) -join ', ')]"
    }
    $Type.Name
}

function Remove-HelpSyntaxParameter {
    <# Takes the named parameters out of a syntax line: [-Name <type>], [[-Name] <type>], -Name <type> or [-Name]. #>
    param([string] $Text, [string[]] $Name)
    foreach ($n in $Name) {
        $e = [regex]::Escape($n)
        $Text = $Text -replace "\s*\[\[-$e\] <[^>]+>\]", '' -replace "\s*\[-$e <[^>]+>\]", '' -replace "\s*\[-$e\]", '' -replace "\s*-$e <[^>]+>", ''
    }
    $Text
}

function Get-HelpCommandMetadata {
    <#
    .SYNOPSIS
    What a cmdlet's markdown must say about it, read from the command itself: its parameter sets
    (with Get-Command's syntax line for each) and, per parameter, one metadata block per distinct
    set of values, as PlatyPS's New-MarkdownHelp and Update-MarkdownHelp would write them.
    #>
    param([Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command)
    $common = $script:HelpCommonParameterNames
    $instance = $null
    if ($Command -is [System.Management.Automation.CmdletInfo]) {
        try { $instance = [Activator]::CreateInstance($Command.ImplementingType) } catch { $instance = $null }
    }
    # A parameter hidden in every set (DontShow, such as -InputRow, which only catches piped rows
    # that bind nothing) is no part of the help: not in SYNTAX, not among the parameters.
    $hidden = @($Command.Parameters.Values | Where-Object {
            $attributes = @($_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
            $attributes.Count -gt 0 -and -not ($attributes | Where-Object { -not $_.DontShow })
        } | ForEach-Object Name)
    $parameters = foreach ($p in $Command.Parameters.Values) {
        if ($p.Name -in $common -or $p.Name -in $hidden) { continue }
        $blocks = [System.Collections.Generic.List[object]]::new()
        $allSets = $p.ParameterSets.ContainsKey('__AllParameterSets')
        $setNames = if ($allSets) { @('(All)') } else { @($Command.ParameterSets | Where-Object { $p.ParameterSets.ContainsKey($_.Name) } | ForEach-Object Name) }
        foreach ($set in $setNames) {
            $setMeta = if ($allSets) { $p.ParameterSets['__AllParameterSets'] } else { $p.ParameterSets[$set] }
            $entry = [pscustomobject]@{
                Required      = [bool]$setMeta.IsMandatory
                Position      = $(if ($setMeta.Position -eq [int]::MinValue) { 'Named' } else { [string]$setMeta.Position })
                PipelineInput = Get-HelpPipelineInputText $setMeta
                ParameterSets = @($set)
            }
            $same = $blocks | Where-Object { $_.Required -eq $entry.Required -and $_.Position -eq $entry.Position -and $_.PipelineInput -eq $entry.PipelineInput } | Select-Object -First 1
            if ($same) { $same.ParameterSets += $set } else { $blocks.Add($entry) }
        }
        $validateSet = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
        $default = $null
        if ($instance -and $p.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
            $property = $Command.ImplementingType.GetProperty($p.Name)
            if ($property) { $default = $property.GetValue($instance) }
        }
        [pscustomobject]@{
            Name           = $p.Name
            Type           = Get-HelpTypeName $p.ParameterType
            FullType       = $p.ParameterType.FullName
            IsSwitch       = $p.SwitchParameter
            Aliases        = @($p.Aliases)
            AcceptedValues = @(if ($validateSet) { $validateSet.ValidValues })
            Globbing       = [bool]($p.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            DefaultValue   = $default
            Blocks         = $blocks.ToArray()
        }
    }
    $syntax = foreach ($set in $Command.ParameterSets) {
        [pscustomobject]@{
            ParameterSetName = $set.Name
            IsDefault        = $set.IsDefault -and $Command.ParameterSets.Count -gt 1
            Text             = Remove-HelpSyntaxParameter "$($Command.Name) $set" $hidden
        }
    }
    [pscustomobject]@{
        Name       = $Command.Name
        Parameters = @($parameters)
        Syntax     = @($syntax)
        OutputType = @($Command.OutputType | ForEach-Object Name)
    }
}

#endregion
