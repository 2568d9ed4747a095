# Remove-AlexaVoiceHistory with records given by pipeline or -InputObject, with and without
# -Session, and what -WhatIf, a misspelt -Device and Tab on -Device show.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri

}

AfterAll {
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Remove-AlexaVoiceHistory with records' {
    It 'deletes piped records with -Session given, the pattern scripts write' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $result = Get-AlexaVoiceHistory -Session $t.Session | Where-Object Device -EQ 'Kitchen Echo' |
            Remove-AlexaVoiceHistory -Session $t.Session -Confirm:$false -ErrorAction Stop
        $result.Requested | Should -Be 3
        $result.Deleted | Should -Be 3
        @(Get-StoredRecords $t.Email | Where-Object device -EQ 'Kitchen Echo').Count | Should -Be 0
        @(Get-StoredRecords $t.Email).Count | Should -Be 3
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'deletes piped records without -Session, through the session that read them' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $other = Connect-Seeded -Records (New-ThreeDaysOfRecords) # now the current session: the records must not go to it
        $result = Get-AlexaVoiceHistory -Session $t.Session | Where-Object Transcript -EQ 'bedroom -2' |
            Remove-AlexaVoiceHistory -Confirm:$false -ErrorAction Stop
        $result.Account | Should -Be $t.Email
        $result.Deleted | Should -Be 1
        @(Get-StoredRecords $t.Email).transcript | Should -Not -Contain 'bedroom -2'
        @(Get-StoredRecords $other.Email).Count | Should -Be 6
        Disconnect-AlexaAccount -All
    }

    It 'refuses records of another account than -Session with AlexaSessionMismatch and deletes nothing' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $other = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $records = @(Get-AlexaVoiceHistory -Session $t.Session -First 2)
        $result = $records | Remove-AlexaVoiceHistory -Session $other.Session -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'AlexaSessionMismatch,AlexaPrivacy.Commands.RemoveAlexaVoiceHistoryCommand'
        $failed[0].Exception.Message | Should -Match ([regex]::Escape($t.Email))
        $failed[0].Exception.Message | Should -Match ([regex]::Escape($other.Email))
        $failed[0].ErrorDetails.RecommendedAction | Should -Match '-Session'
        $failed[0].TargetObject | Should -Be $records[0]
        @(Get-StoredRecords $t.Email).Count | Should -Be 6
        @(Get-StoredRecords $other.Email).Count | Should -Be 6
        Disconnect-AlexaAccount -All
    }

    It 'deletes an array given to -InputObject (not piped)' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $records = @(Get-AlexaVoiceHistory -Session $t.Session | Where-Object Device -EQ 'Bedroom Echo Dot')
        $result = Remove-AlexaVoiceHistory -InputObject $records -Confirm:$false -ErrorAction Stop
        $result.Requested | Should -Be 3
        $result.Deleted | Should -Be 3
        @(Get-StoredRecords $t.Email).device | Sort-Object -Unique | Should -Be 'Kitchen Echo'
        Disconnect-AlexaAccount -Session $t.Session
    }
}

Describe 'Remove-AlexaVoiceHistory on a page that does not take the range' {
    BeforeAll {
        $script:ShortProfile = Join-Path $TestDrive 'short.json'
        '{ "timeouts": { "navigationSeconds": 8 } }' | Set-Content $ShortProfile
        $script:Diagnostics = Join-Path $TestDrive 'diagnostics'
    }
    AfterEach {
        $env:ALEXAPRIVACY_SITE_PROFILE = $null
        $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = $null
        Set-ReplicaFault $Replica @{}
        $null = Invoke-ReplicaAdmin $Replica -Method PUT -Path '/__replica/variant' -Body @{ seed = $null }
    }

    It 'stops with a count, a screenshot and fitting advice when the custom range is never applied, and deletes nothing' {
        # Seed 23 applies a custom range only on its "Apply" button; renamed, the module finds no such
        # control, presses Enter (which this page ignores) and must then see that the page never asked for the days.
        $a = New-ReplicaAccount $Replica
        Add-Records $a.Email @(New-ThreeDaysOfRecords)
        $null = Invoke-ReplicaAdmin $Replica -Method PUT -Path '/__replica/variant' -Body @{ seed = 23 }
        Set-ReplicaFault $Replica @{ labelOverrides = @{ 'Apply' = 'Use these dates' } }
        $env:ALEXAPRIVACY_SITE_PROFILE = $ShortProfile
        $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = $Diagnostics
        $result = Remove-AlexaVoiceHistory -Email $a.Email -Password $a.SecurePassword -BaseUri $Base -After $Midnight.AddDays(-3).DateTime -Before $Midnight.AddDays(-1).DateTime `
            -Device 'Kitchen Echo' -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $result.Deleted | Should -Be 0
        @($result.Remaining).Count | Should -Be 2
        @($failed).Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'AlexaChangeNotPersisted,*'
        $failed[0].Exception.Message | Should -BeLike "2 of 2 voice record(s) of $($a.Email) are still there*"
        $failed[0].Exception.Message | Should -Match 'Enter pressed in the date field'
        foreach ($k in $result.Remaining) { $failed[0].Exception.Message | Should -Not -BeLike "*$k*" }
        $failed[0].Exception.ScreenshotPath | Should -BeLike "$Diagnostics*"
        Test-Path $failed[0].Exception.ScreenshotPath | Should -BeTrue
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'fails the same way'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'voiceHistory\.apply'
        @(Get-StoredRecords $a.Email).Count | Should -Be 6
    }
}

Describe 'Remove-AlexaVoiceHistory -WhatIf and -Device' {
    It 'prints one What if line with the total, the span and the device for a range, and deletes nothing' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        # What if lines go to the host, not to a stream: a transcript records them.
        $transcript = Join-Path $TestDrive 'whatif.txt'
        $null = Start-Transcript -Path $transcript
        try { Remove-AlexaVoiceHistory -Session $t.Session -Device 'Kitchen Echo' -After $Midnight.AddDays(-10).DateTime -WhatIf }
        finally { $null = Stop-Transcript }
        $lines = @(Get-Content $transcript | Where-Object { $_ -like 'What if:*' })
        @($lines).Count | Should -Be 1
        $from = $Midnight.AddDays(-3).AddHours(8).ToLocalTime().ToString('yyyy-MM-ddTHH:mm:sszzz')
        $to = $Midnight.AddDays(-1).AddHours(8).ToLocalTime().ToString('yyyy-MM-ddTHH:mm:sszzz')
        $lines | Should -Be "What if: Delete 3 voice recording(s) of $($t.Email) ($from to $to, device Kitchen Echo)"
        @(Get-StoredRecords $t.Email).Count | Should -Be 6
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'warns when -Device names no device of the account, and deletes nothing' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $result = Remove-AlexaVoiceHistory -Session $t.Session -Device 'Kichen Echo' -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        $result.Requested | Should -Be 0
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -BeLike "$($t.Email) has no device named 'Kichen Echo'*Bedroom Echo Dot*Kitchen Echo*"
        @(Get-StoredRecords $t.Email).Count | Should -Be 6
        Disconnect-AlexaAccount -Session $t.Session
    }

    It 'completes -Device with the devices of the current session, quoted, by any part of the name' {
        $t = Connect-Seeded -Records (New-ThreeDaysOfRecords)
        $line = 'Remove-AlexaVoiceHistory -Device kitch'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("'Kitchen Echo'")
        $line = 'Get-AlexaVoiceHistory -Device Echo'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("'Bedroom Echo Dot'", "'Kitchen Echo'")
        Disconnect-AlexaAccount -Session $t.Session
    }
}
