# Export-AlexaVoiceHistory: what it returns, piped records with and without -Session, -NoClobber
# and -Force, owner-only files, and the one time format of views and files.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri

    function Get-Mode { param([string] $Path) ([int][System.IO.File]::GetUnixFileMode($Path)) -band 0x1ff }
}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Export-AlexaVoiceHistory' {
    It 'returns the path, the format, the number of records and the accounts, and writes the file owner-only' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $path = Join-Path $TestDrive 'all.json'
        $result = Export-AlexaVoiceHistory -Session $t.Session -Path $path
        $result.GetType().Name | Should -Be 'AlexaVoiceHistoryExport'
        $result.Path | Should -Be $path
        $result.Format | Should -Be 'Json'
        $result.Records | Should -Be 6
        $result.Accounts | Should -Be @($t.Email)
        @(Get-Content $path -Raw | ConvertFrom-Json).Count | Should -Be 6
        if (-not $IsWindows) { Get-Mode $path | Should -Be ([Convert]::ToInt32('600', 8)) }
        ($result | Format-Table | Out-String) | Should -Match "6 Json.*$([regex]::Escape($t.Email))"
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'writes the records piped in, with -Session given and without it' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $with = Join-Path $TestDrive 'with.csv'
        $without = Join-Path $TestDrive 'without.csv'
        $a = Get-AlexaVoiceHistory -Session $t.Session | Where-Object Device -EQ 'Kitchen Echo' | Export-AlexaVoiceHistory -Session $t.Session -Path $with -ErrorAction Stop
        $b = Get-AlexaVoiceHistory -Session $t.Session | Where-Object Device -EQ 'Kitchen Echo' | Export-AlexaVoiceHistory -Path $without -ErrorAction Stop
        $a.Records | Should -Be 3
        $b.Records | Should -Be 3
        @(Import-Csv $with).Transcript | Should -Be @('kitchen -1', 'kitchen -2', 'kitchen -3')
        (Get-Content $with -Raw) | Should -Be (Get-Content $without -Raw)
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'refuses piped records of another account than -Session with AlexaSessionMismatch' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $other = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $path = Join-Path $TestDrive 'mismatch.csv'
        $result = Get-AlexaVoiceHistory -Session $t.Session -First 1 | Export-AlexaVoiceHistory -Session $other.Session -Path $path -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'AlexaSessionMismatch,AlexaPrivacy.Commands.ExportAlexaVoiceHistoryCommand'
        $failed[0].Exception.Message | Should -Match ([regex]::Escape($t.Email))
        $result.Records | Should -Be 0
        @(Import-Csv $path).Count | Should -Be 0
        Disconnect-AlexaAccount -All
    }

    It 'replaces a file by default, refuses with -NoClobber (AlexaFileExists), and replaces a read-only one only with -Force' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $path = Join-Path $TestDrive 'clobber.csv'
        Set-Content $path 'old'
        (Export-AlexaVoiceHistory -Session $t.Session -Path $path).Records | Should -Be 6
        Set-Content $path 'old'
        { Export-AlexaVoiceHistory -Session $t.Session -Path $path -NoClobber -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaFileExists,AlexaPrivacy.Commands.ExportAlexaVoiceHistoryCommand'
        Get-Content $path | Should -Be 'old'
        Set-ItemProperty $path -Name IsReadOnly -Value $true
        { Export-AlexaVoiceHistory -Session $t.Session -Path $path -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlexaFileExists,AlexaPrivacy.Commands.ExportAlexaVoiceHistoryCommand'
        Get-Content $path | Should -Be 'old'
        (Export-AlexaVoiceHistory -Session $t.Session -Path $path -Force).Records | Should -Be 6
        @(Import-Csv $path).Count | Should -Be 6
        if (-not $IsWindows) { Get-Mode $path | Should -Be ([Convert]::ToInt32('600', 8)) }
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'shows Time as ISO 8601 in the record view, as the export writes it' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $record = Get-AlexaVoiceHistory -Session $t.Session -First 1
        $iso = $record.Time.ToString('yyyy-MM-ddTHH:mm:sszzz', [cultureinfo]::InvariantCulture)
        ($record | Format-Table | Out-String -Width 120) | Should -Match ([regex]::Escape($iso))
        "$record" | Should -BeLike "$iso *"
        $path = Join-Path $TestDrive 'time.csv'
        $null = $record | Export-AlexaVoiceHistory -Path $path
        (Import-Csv $path).Time | Should -BeLike "$($iso.Substring(0, 19))*$($iso.Substring(19))"
        Disconnect-AlexaAccount -Session $t.Session
    }
}
