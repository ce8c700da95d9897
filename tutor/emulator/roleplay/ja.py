"""Japanese lines for the demo tutor's role-plays (and the close of free talk).

Written in ordinary Japanese; the voice reads a kana version (`roleplay.kana`).
"""

# ruff: noqa: E501  (a table of lines and rules reads best one entry per line)

from __future__ import annotations

from tutor.emulator.roleplay.lines import Cues, Lines, Plant, Register

SIMPLE = Register(
    hello="こんにちは、{name}さん！",
    start="では、始めましょう。どうぞ！",
    acks=("いいですね！", "かしこまりました。", "はい、わかりました。"),
    chat_acks=("なるほど。", "そうですか。", "はい、わかりました。"),
    chat_more=("それから？", "もっと教えてください。"),
    greeting="こんにちは！",
    thanks="どういたしまして！",
    price="四百五十円です。",
    count="二つか三つぐらいです。",
    time="二週間ぐらいです。",
    way="まっすぐ行って、右です。",
    you="私ですか？私はここの出身です。",
    yes="はい、大丈夫です。",
    open=("いい質問ですね！", "うーん、いい質問ですね。"),
    ask_question=("何か質問はありますか？", "ほかに何か知りたいことはありますか？"),
    ask_more=("ほかに何かありますか？", "それから？"),
    recast="「{corrected}」ですね",
    explain="「{wrong}」ではなく「{right}」です。",
    wrap_up="よくできました！ここまでにしましょう。ほかのテーマもやってみませんか？",
    finished="デモは終わりました。ほかのテーマを選んでください。",
)

FULLER = Register(
    hello="こんにちは、{name}さん！",
    start="では、場面を始めましょう。どうぞお先に。",
    acks=(
        "かしこまりました。すぐにご用意します。",
        "承知しました。問題ありません。",
        "なるほど、わかりました。",
    ),
    chat_acks=(
        "なるほど、よくわかります。",
        "そうですか。教えてくださってありがとうございます。",
        "はい、よくわかりました。",
    ),
    chat_more=("それから、どうなりましたか？", "もう少し詳しく聞かせてください。"),
    greeting="こんにちは！",
    thanks="どういたしまして。こちらこそありがとうございます。",
    price="全部で四百五十円でございます。",
    count="だいたい二つか三つぐらいですね。",
    time="だいたい二週間ぐらいだと思います。",
    way="この道をまっすぐ行って、二つ目の角を右に曲がってください。",
    you="私ですか？私はずっとこの町に住んでいます。",
    yes="はい、もちろん大丈夫ですよ。",
    open=("いい質問ですね。少し考えさせてください。", "うーん、それはとてもいい質問ですね。"),
    ask_question=("ほかに何か聞きたいことはありますか？", "ほかに知りたいことはありますか？"),
    ask_more=("ほかに何かご用はありますか？", "それから、何をいたしましょうか？"),
    recast="「{corrected}」ですね",
    explain="ちなみに、「{wrong}」ではなく「{right}」と言います。",
    wrap_up=(
        "よくできました。場面の表現を全部使いましたね。デモはここまでです。"
        "ほかのテーマもやってみませんか？"
    ),
    finished="デモはもう終わりました。会話を終えて、ほかのテーマを選んでください。",
)

CUES = Cues(
    price=r"いくら|値段|お会計|お勘定",
    count=r"いくつ|何個|何本|何枚|何人|何名",
    way=r"どうやって|行き方|どう行けば|どこですか|どこにありますか",
    time=r"いつ|どのくらい|どれくらい|何時",
    you=r"あなたは|そちらは|どちらから|出身",
    greeting=r"^(こんにちは|おはよう|こんばんは|はじめまして|よろしく)",
    thanks=r"ありがとう|以上です|それだけです|ごちそうさま|失礼します",
    please=r"ください|お願いします",
    wh=r"何|なに|なん|どこ|いつ|だれ|誰|どう|どれ|どの|どんな|どちら|なぜ",
)

PLANTS = (
    Plant("を", "が", "Use を to mark the object of the verb.", "grammar"),
    Plant("で(?![すしもきござ])", "に", "Use で for the place or the means of an action.", "grammar"),
    Plant("に(?=行|来|い|き)", "で", "Use に for where you are going.", "grammar"),
    Plant("お願いします", "お願い", "Add します to stay polite: お願いします.", "register"),
    Plant("ください", "くれ", "Ask politely with ください; くれ sounds rough.", "register"),
    Plant("が(?=あ)", "を", "ある takes が for what there is: 熱がある.", "grammar"),
    Plant("たほうがいい", "るほうがいい", "To give advice, use the past form: 〜たほうがいい.", "grammar"),
)  # fmt: skip

LINES = Lines(
    lang="ja",
    notice="デモの講師です。声は聞き取れません。",
    simple=SIMPLE,
    fuller=FULLER,
    cues=CUES,
    plants=PLANTS,
    afterwards=("ありがとうございます。", "はい、わかりました。"),
    spaced=False,
)
